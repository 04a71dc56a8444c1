package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.service.jdbc.DataSourceFactory;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Salesforce end to end on PostgreSQL: connections through the REST API, the OAuth authorize redirect followed by
 * hand to the distribution's callback, then {@code webhook → salesforce.record.write} with the guide's example
 * payload reaching the Salesforce fakes in the test JVM (one per connection: production and sandbox).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SalesforceIT extends DooneFlowTestSupport {

    private static final String CALLBACK = "/integrations/salesforce/oauth/callback";
    /** Redirects are followed by hand, as the test plays the browser. */
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    @Filter("(osgi.jdbc.driver.class=org.postgresql.Driver)")
    DataSourceFactory postgres;

    @Configuration
    public Option[] config() {
        String url = postgresDatabaseOfThisClass();
        List<Option> options = ownerOnPostgres(url);
        options.add(loopbackAllowed());
        options.add(systemProperty("dooneflow.it.db.url").value(url));
        options.add(systemProperty("dooneflow.it.sf.production").value(HostSalesforce.start("production")));
        options.add(systemProperty("dooneflow.it.sf.sandbox").value(HostSalesforce.start("sandbox")));
        options.add(systemProperty("dooneflow.it.sf.revoked").value(HostSalesforce.start("revoked")));
        options.add(systemProperty("dooneflow.it.sf.credentials").value(HostSalesforce.start("credentials")));
        options.add(systemProperty("dooneflow.it.sf.renamed").value(HostSalesforce.start("renamed")));
        options.add(systemProperty("dooneflow.it.sf.clientId").value(HostSalesforce.clientId()));
        options.add(systemProperty("dooneflow.it.sf.clientSecret").value(HostSalesforce.clientSecret()));
        return distribution(options.toArray(new Option[0]));
    }

    @Test
    public void aWebhookCreatesALeadThroughAConnectionConnectedByOAuth() throws Exception {
        String org = setUp();
        String production = fake("production");
        String sandbox = fake("sandbox");
        String base = "/v1/organizations/" + org + "/integrations/salesforce";

        // Bad input and duplicates are refused naming the field; nothing is half-written.
        Reply bad = post(base, OWNER_TOKEN, "{\"name\":\"\",\"environment\":\"staging\",\"loginUrl\":\"http://93.184.216.34\"}");
        assertEquals(bad.body(), 422, bad.status());
        String fields = bad.json().path("errors").toString();
        for (String field : List.of("name", "environment", "loginUrl", "clientId", "clientSecret")) {
            assertContains(fields, "\"" + field + "\"");
        }
        Reply unknownField = post(base, OWNER_TOKEN, "{\"name\":\"X\",\"status\":\"connected\"}");
        assertEquals(unknownField.body(), 400, unknownField.status());

        String prodId = createConnection(base, "Production", "production", production);
        String sandboxId = createConnection(base, "Sandbox", "sandbox", sandbox);
        assertEquals(409, post(base, OWNER_TOKEN, connectionJson("Production", "sandbox", sandbox)).status());

        // Connect both: the browser follows Salesforce's redirect back to the distribution's callback.
        String replayable = connect(base, prodId);
        connect(base, sandboxId);
        JsonNode listed = get(base, OWNER_TOKEN).json();
        List<String> connected = new ArrayList<>();
        listed.path("items").forEach(c -> {
            if (c.path("status").asText().equals("connected")) {
                connected.add(c.path("name").asText());
            }
            assertFalse(c.has("clientSecret") || c.has("accessToken") || c.has("refreshToken"));
        });
        assertTrue(listed.toString(), connected.containsAll(List.of("Production", "Sandbox")));
        // The callback URL is spent: a replay is refused and changes nothing.
        HttpResponse<String> replay = browse(replayable, "application/json");
        assertEquals(replay.body(), 400, replay.statusCode());
        assertContains(replay.body(), "already used");
        assertEquals("connected", get(base + "/" + prodId, OWNER_TOKEN).json().path("status").asText());

        // Tokens are stored encrypted: the database never holds what Salesforce issued.
        JsonNode state = callUrl("GET", production + "/__fake/state", null).json();
        String accessToken = state.path("accessTokens").path(0).asText();
        String refreshToken = state.path("refreshTokens").path(0).asText();
        assertFalse(accessToken.isEmpty() || refreshToken.isEmpty());
        for (String field : List.of("accessToken", "refreshToken", "clientSecret")) {
            String ciphertext = rawSecret(org, prodId, field);
            assertNotNull(field + " stored", ciphertext);
            assertNotContains(ciphertext, accessToken);
            assertNotContains(ciphertext, refreshToken);
            assertNotContains(ciphertext, System.getProperty("dooneflow.it.sf.clientSecret"));
        }

        // Two workflows, one per connection, with the guide's example payload.
        createWorkflow(org, "sf-prod", "Production");
        createWorkflow(org, "sf-sandbox", "Sandbox");
        String leadBody = "{\"name\":\"Ann Lee\",\"phone\":\"+15551234567\",\"email\":\"ann@example.com\"}";
        JsonNode done = run(org, "/webhook/it-sf-prod", leadBody);
        JsonNode output = done.path("steps").path(0).path("output");
        String recordId = output.path("recordId").asText();
        assertEquals(18, recordId.length());
        assertTrue(output.path("created").asBoolean());

        JsonNode record = callUrl("GET", production + "/__fake/records", null).json().path(recordId);
        assertEquals("Ann Lee", record.path("FirstName").asText());
        assertEquals("+15551234567", record.path("Phone").asText());
        assertEquals("ann@example.com", record.path("Email").asText());
        assertEquals("Webhook", record.path("LeadSource").asText());
        JsonNode request = callUrl("GET", production + "/__fake/requests", null).json().path(0);
        assertEquals("/services/data/v60.0/sobjects/Lead/", request.path("path").asText());

        JsonNode sandboxRun = run(org, "/webhook/it-sf-sandbox", "{\"name\":\"Bo\",\"phone\":\"+15550000000\",\"email\":\"bo@example.com\"}");
        String sandboxRecord = sandboxRun.path("steps").path(0).path("output").path("recordId").asText();
        assertEquals("Bo", callUrl("GET", sandbox + "/__fake/records", null).json().path(sandboxRecord)
                .path("FirstName").asText());
        assertTrue(callUrl("GET", production + "/__fake/records", null).json().path(sandboxRecord).isMissingNode());

        // An expired session is refreshed once and the write goes through.
        callUrl("POST", production + "/__fake/expire-access-tokens", null);
        run(org, "/webhook/it-sf-prod", "{\"name\":\"Cy\",\"phone\":\"+15551111111\",\"email\":\"cy@example.com\"}");
        assertEquals(1, callUrl("GET", production + "/__fake/state", null).json().path("refreshes").asInt());

        String console = console("dooneflow:salesforce-list " + org);
        assertContains(console, "Production");
        assertContains(console, "Sandbox");
        assertContains(console, "connected");
        assertNotContains(console, accessToken);
    }

    @Test
    public void aRevokedAuthorizationMarksTheConnectionForReconnectAndTheEventsSaySo() throws Exception {
        String org = setUp();
        String revoked = fake("revoked");
        String base = "/v1/organizations/" + org + "/integrations/salesforce";
        String id = createConnection(base, "Revoked", "production", revoked);
        connect(base, id);
        createWorkflow(org, "sf-revoked", "Revoked");

        callUrl("POST", revoked + "/__fake/revoke-refresh-tokens", null);
        callUrl("POST", revoked + "/__fake/expire-access-tokens", null);
        JsonNode failed = finish(org, "/webhook/it-sf-revoked", "{\"name\":\"Di\"}");
        assertEquals(failed.toString(), "failed", failed.path("status").asText());
        assertContains(failed.path("error").asText(), "needs to be reconnected");
        assertEquals("needs_reconnect", get(base + "/" + id, OWNER_TOKEN).json().path("status").asText());
        assertContains(get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body(),
                "Salesforce connection 'Revoked' needs to be reconnected");

        // Reconnect = connect again; the next run goes through.
        connect(base, id);
        assertEquals("connected", get(base + "/" + id, OWNER_TOKEN).json().path("status").asText());
        run(org, "/webhook/it-sf-revoked", "{\"name\":\"Di\"}");
    }

    @Test
    public void renamingAConnectionTakesItsWorkflowsAlong() throws Exception {
        String org = setUp();
        String base = "/v1/organizations/" + org + "/integrations/salesforce";
        String id = createConnection(base, "Old name", "production", fake("renamed"));
        connect(base, id);
        createWorkflow(org, "sf-renamed", "Old name");

        Reply renamed = call("PATCH", base + "/" + id, OWNER_TOKEN, "{\"name\":\"New name\"}");
        assertEquals(renamed.body(), 200, renamed.status());
        assertEquals("New name", renamed.json().path("name").asText());
        assertEquals("sf-renamed", renamed.json().path("workflowsUpdated").path(0).path("name").asText());
        String workflowId = renamed.json().path("workflowsUpdated").path(0).path("id").asText();
        JsonNode workflow = get("/v1/organizations/" + org + "/workflows/" + workflowId, OWNER_TOKEN).json();
        assertEquals("New name", workflow.path("actions").path(0).path("params").path("connection").asText());
        assertEquals(2, workflow.path("version").asInt());
        // and it still runs: the write goes through the renamed connection
        run(org, "/webhook/it-sf-renamed", "{\"name\":\"Flo\"}");
    }

    @Test
    public void aWrongClientSecretFailsTheRunWithWhatToFixAndTheEventsSaySo() throws Exception {
        String org = setUp();
        String fake = fake("credentials");
        String base = "/v1/organizations/" + org + "/integrations/salesforce";
        String id = createConnection(base, "Credentials", "production", fake);
        connect(base, id);
        createWorkflow(org, "sf-credentials", "Credentials");

        // The Consumer Secret was regenerated in Salesforce; DooneFlow still has the old one.
        Reply stale = call("PATCH", base + "/" + id, OWNER_TOKEN, "{\"clientSecret\":\"regenerated-elsewhere\"}");
        assertEquals(stale.body(), 200, stale.status());
        callUrl("POST", fake + "/__fake/expire-access-tokens", null);
        JsonNode failed = finish(org, "/webhook/it-sf-credentials", "{\"name\":\"Eve\"}");
        assertEquals(failed.toString(), "failed", failed.path("status").asText());
        String error = failed.path("error").asText();
        assertContains(error, "invalid_client");
        assertContains(error, "Check the connection's Client ID and Client Secret");
        assertNotContains(error, "Exception");
        assertContains(get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body(),
                "Salesforce refused to refresh the token of connection 'Credentials'");
        assertEquals("connected", get(base + "/" + id, OWNER_TOKEN).json().path("status").asText());

        // Putting the right secret back is all it takes.
        Reply fixed = call("PATCH", base + "/" + id, OWNER_TOKEN,
                "{\"clientSecret\":\"" + System.getProperty("dooneflow.it.sf.clientSecret") + "\"}");
        assertEquals(fixed.body(), 200, fixed.status());
        run(org, "/webhook/it-sf-credentials", "{\"name\":\"Eve\"}");
    }

    @Test
    public void namesStayUniqueUnderRacingCreatesAndRenamesAndTheListIsPaged() throws Exception {
        String org = setUp();
        String base = "/v1/organizations/" + org + "/integrations/salesforce";
        String loginUrl = fake("credentials");

        // Six owners' browsers create the same name at once: one connection, the others 409 naming `name`.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Reply> replies = new ArrayList<>();
        try {
            List<Callable<Reply>> creates = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                creates.add(() -> post(base, OWNER_TOKEN, connectionJson("Race", "production", loginUrl)));
            }
            for (Future<Reply> f : pool.invokeAll(creates)) {
                replies.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> statuses = replies.stream().map(Reply::status).sorted().toList();
        assertEquals(replies.toString(), List.of(201, 409, 409, 409, 409, 409), statuses);
        replies.stream().filter(r -> r.status() == 409).forEach(r -> {
            assertEquals(r.body(), "name", r.json().path("errors").path(0).path("field").asText());
            assertContains(r.contentType(), "application/problem+json");
        });
        String raceId = replies.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json()
                .path("id").asText();
        assertEquals(1, names(base).stream().filter("Race"::equals).count());

        // Renaming: to a taken name is a 409 that changes nothing; to a free one keeps the connection.
        String otherId = createConnection(base, "Taken", "production", loginUrl);
        Reply taken = call("PATCH", base + "/" + raceId, OWNER_TOKEN, "{\"name\":\"Taken\",\"clientId\":\"changed\"}");
        assertEquals(taken.body(), 409, taken.status());
        assertEquals("name", taken.json().path("errors").path(0).path("field").asText());
        JsonNode unchanged = get(base + "/" + raceId, OWNER_TOKEN).json();
        assertEquals("Race", unchanged.path("name").asText());
        assertEquals(System.getProperty("dooneflow.it.sf.clientId"), unchanged.path("clientId").asText());
        Reply renamed = call("PATCH", base + "/" + raceId, OWNER_TOKEN, "{\"name\":\"Race renamed\"}");
        assertEquals(renamed.body(), 200, renamed.status());
        assertEquals(raceId, renamed.json().path("id").asText());
        assertEquals("Race renamed", get(base + "/" + raceId, OWNER_TOKEN).json().path("name").asText());
        assertFalse(names(base).contains("Race"));

        // Paging one by one walks the whole list, in order, without repeats; bad limits and cursors are 422s.
        List<String> all = names(base);
        assertTrue(all.toString(), all.containsAll(List.of("Race renamed", "Taken")));
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(base + "?limit=1" + (cursor == null ? "" : "&cursor=" + cursor), OWNER_TOKEN).json();
            assertEquals(page.toString(), 1, page.path("items").size());
            walked.add(page.path("items").path(0).path("name").asText());
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            assertTrue(page.toString(), page.has("nextCursor"));
        } while (cursor != null && walked.size() <= all.size());
        assertEquals(all, walked);
        for (String bad : List.of("?limit=0", "?limit=501", "?cursor=not-ours")) {
            Reply refused = get(base + bad, OWNER_TOKEN);
            assertEquals(refused.body(), 422, refused.status());
            assertEquals(bad.substring(1, bad.indexOf('=')), refused.json().path("errors").path(0).path("field").asText());
        }
        assertEquals(204, call("DELETE", base + "/" + raceId, OWNER_TOKEN, null).status());
        assertEquals(204, call("DELETE", base + "/" + otherId, OWNER_TOKEN, null).status());
    }

    @Test
    public void membersReadButOnlyOwnersAndAdminsWriteAndOtherOrganizationsSeeNothing() {
        String org = setUp();
        String base = "/v1/organizations/" + org + "/integrations/salesforce";
        String id = createConnection(base, "Scoped", "production", fake("revoked"));
        String member = newMember(org, "sf-member@it.example", "member");

        assertEquals(200, get(base + "/" + id, member).status());
        assertEquals(403, post(base, member, connectionJson("Mine", "production", fake("revoked"))).status());
        assertEquals(403, post(base + "/" + id + "/connect", member, null).status());
        assertEquals(403, call("DELETE", base + "/" + id, member, null).status());
        assertEquals(401, get(base, null).status());

        Reply other = post("/v1/organizations", OWNER_TOKEN, "{\"name\":\"Other org\"}");
        assertEquals(other.body(), 201, other.status());
        String otherBase = "/v1/organizations/" + other.json().path("id").asText() + "/integrations/salesforce";
        assertEquals(404, get(otherBase + "/" + id, OWNER_TOKEN).status());
        assertEquals(404, call("DELETE", otherBase + "/" + id, OWNER_TOKEN, null).status());
        assertEquals(0, get(otherBase, OWNER_TOKEN).json().path("items").size());
        assertEquals(204, call("DELETE", base + "/" + id, OWNER_TOKEN, null).status());
        assertEquals(404, get(base + "/" + id, OWNER_TOKEN).status());
    }

    @Test
    public void theServedOpenApiDocumentDescribesTheSalesforceApiWithResolvableReferences() {
        setUp();
        JsonNode doc = get("/v1/openapi.json", null).json();
        JsonNode paths = doc.path("paths");
        for (String path : List.of("", "/{id}", "/{id}/connect", "/oauth/callback")) {
            assertFalse(path, paths.path("/v1/organizations/{orgId}/integrations/salesforce" + path).isMissingNode());
        }
        assertEquals(0, paths.path("/v1/organizations/{orgId}/integrations/salesforce/oauth/callback")
                .path("get").path("security").size());
        List<String> unresolved = new ArrayList<>();
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"\\$ref\":\"#/components/(\\w+)/(\\w+)\"")
                .matcher(paths.toString() + doc.path("components").toString());
        while (refs.find()) {
            if (doc.path("components").path(refs.group(1)).path(refs.group(2)).isMissingNode()) {
                unresolved.add(refs.group());
            }
        }
        assertTrue(unresolved.toString(), unresolved.isEmpty());
    }

    // ---- helpers ----

    /** The organization, once health says every component and route is up. */
    private String setUp() {
        awaitHealthy();
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }

    /** The names of all the organization's connections, in the list's order. */
    private static List<String> names(String base) {
        List<String> names = new ArrayList<>();
        get(base + "?limit=500", OWNER_TOKEN).json().path("items").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static String fake(String name) {
        return System.getProperty("dooneflow.it.sf." + name);
    }

    private static String connectionJson(String name, String environment, String loginUrl) {
        return "{\"name\":\"" + name + "\",\"environment\":\"" + environment + "\",\"loginUrl\":\"" + loginUrl
                + "\",\"clientId\":\"" + System.getProperty("dooneflow.it.sf.clientId") + "\",\"clientSecret\":\""
                + System.getProperty("dooneflow.it.sf.clientSecret") + "\"}";
    }

    private static String createConnection(String base, String name, String environment, String loginUrl) {
        Reply created = post(base, OWNER_TOKEN, connectionJson(name, environment, loginUrl));
        assertEquals(created.body(), 201, created.status());
        JsonNode c = created.json();
        assertTrue(c.path("clientSecretSet").asBoolean());
        assertEquals("not_connected", c.path("status").asText());
        assertStartsWith(c.path("authorizeUrl").asText(), loginUrl + "/services/oauth2/authorize?");
        assertNotContains(created.body(), System.getProperty("dooneflow.it.sf.clientSecret"));
        // The distribution's callback is the redirect URI: point it at this test's port.
        Reply patched = call("PATCH", base + "/" + c.path("id").asText(), OWNER_TOKEN,
                "{\"redirectUri\":\"" + base() + base + "/oauth/callback\"}");
        assertEquals(patched.body(), 200, patched.status());
        return c.path("id").asText();
    }

    /** Plays the browser: authorize at the fake, follow its redirect to the callback; returns the callback URL. */
    private static String connect(String base, String id) throws Exception {
        Reply started = post(base + "/" + id + "/connect", OWNER_TOKEN, null);
        assertEquals(started.body(), 200, started.status());
        String authorizeUrl = started.json().path("authorizeUrl").asText();
        assertContains(authorizeUrl, "code_challenge_method=S256");
        assertContains(authorizeUrl, "redirect_uri=" + URLEncoder.encode(base() + base + "/oauth/callback",
                StandardCharsets.UTF_8));

        HttpResponse<String> atSalesforce = browse(authorizeUrl, "text/html");
        assertEquals(atSalesforce.body(), 302, atSalesforce.statusCode());
        String callback = atSalesforce.headers().firstValue("Location").orElseThrow();
        assertContains(callback, CALLBACK);

        HttpResponse<String> back = browse(callback, "text/html");
        assertEquals(back.body(), 200, back.statusCode());
        assertContains(back.headers().firstValue("Content-Type").orElse(""), "text/html");
        assertContains(back.body(), "Salesforce connected");
        return callback;
    }

    private static HttpResponse<String> browse(String url, String accept) throws Exception {
        return BROWSER.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void createWorkflow(String org, String name, String connection) {
        Reply r = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, "{\"name\":\"" + name + "\","
                + "\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"it-" + name + "\",\"authentication\":\"none\"}},"
                + "\"actions\":[{\"type\":\"salesforce.record.write\",\"params\":{\"connection\":\"" + connection + "\","
                + "\"endpointType\":\"object\",\"object\":\"Lead\",\"operation\":\"create\",\"payload\":{"
                + "\"FirstName\":\"{contact_name}\",\"Phone\":\"{contact_phone}\",\"Email\":\"{contact_email}\","
                + "\"LeadSource\":\"Webhook\"}}}]}");
        assertEquals(r.body(), 201, r.status());
    }

    private static JsonNode run(String org, String webhook, String body) {
        JsonNode done = finish(org, webhook, body);
        assertEquals(done.toString(), "succeeded", done.path("status").asText());
        return done;
    }

    /** Triggers the webhook and waits until its execution has finished, either way. */
    private static JsonNode finish(String org, String webhook, String body) {
        Reply accepted = post(webhook, null, body);
        assertEquals(accepted.body(), 202, accepted.status());
        String id = accepted.json().path("executionIds").path(0).asText();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await("execution " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last.set(get("/v1/organizations/" + org + "/executions/" + id, OWNER_TOKEN).json());
                    String status = last.get().path("status").asText();
                    return status.equals("succeeded") || status.equals("failed");
                });
        return last.get();
    }

    private String rawSecret(String org, String owner, String field) throws Exception {
        Properties p = new Properties();
        p.put(DataSourceFactory.JDBC_URL, System.getProperty("dooneflow.it.db.url"));
        p.put(DataSourceFactory.JDBC_USER, "postgres");
        try (Connection c = postgres.createDataSource(p).getConnection();
             PreparedStatement q = c.prepareStatement(
                     "select ciphertext from df_secret where org_id = ? and owner_id = ? and field = ?")) {
            q.setString(1, org);
            q.setString(2, owner);
            q.setString(3, field);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
