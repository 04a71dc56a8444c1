package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The email connector on the real distribution (PostgreSQL): an email delivered to an IMAP server in the test host
 * runs an {@code email.imap → webhook.call} workflow that posts the subject and sender name to a local sink;
 * editing the inbox's poll interval or deactivating it takes effect without a restart; a wrong password shows as
 * the inbox's last error and on Events, and the fix clears it. Polls are started with {@code dooneflow:inbox-poll}
 * (the 30 s minimum interval stays as it is). With IMAP IDLE, each email starts its workflow within 2 s of delivery.
 * An inbox that signs in with OAuth 2.0 goes through the provider's consent (a local provider in the test host),
 * reads mail with SASL XOAUTH2, survives token refreshes and turns {@code needs_reconnect} when the grant is revoked.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EmailImapIT extends DooneFlowTestSupport {

    @Configuration
    public Option[] config() throws Exception {
        List<Option> options = ownerOnPostgres(postgresDatabaseOfThisClass());
        options.add(loopbackAllowed());
        // Routes wait 10 minutes before their first poll: every poll in this test is one it asks for.
        options.add(editConfigurationFilePut("etc/com.dooneflow.cfg", "emailInitialDelayMillis", "600000"));
        options.add(systemProperty("dooneflow.it.sink").value("http://127.0.0.1:" + HostSink.start()));
        options.add(systemProperty("dooneflow.it.imap.port").value(String.valueOf(HostMail.start())));
        options.add(systemProperty("dooneflow.it.imap.user").value(HostMail.USER));
        options.add(systemProperty("dooneflow.it.imap.password").value(HostMail.PASSWORD));
        options.add(systemProperty("dooneflow.it.mail.oauth").value(HostMailOAuth.start()));
        return distribution(options.toArray(new Option[0]));
    }

    static int imapPort() {
        return Integer.getInteger("dooneflow.it.imap.port");
    }

    @Test
    public void anEmailRunsItsWorkflowAndInboxChangesApplyWithoutRestart() throws Exception {
        String org = setUp();
        String sink = System.getProperty("dooneflow.it.sink");
        stub(sink, "{\"request\":{\"method\":\"POST\",\"url\":\"/email\"},\"response\":{\"status\":200}}");
        String base = "/v1/organizations/" + org + "/email-inboxes";

        // A too frequent poll is refused, naming the field.
        Reply tooOften = post(base, OWNER_TOKEN, inboxJson(10));
        assertEquals(tooOften.body(), 422, tooOften.status());
        assertContains(tooOften.body(), "pollIntervalSeconds");
        assertContains(tooOften.body(), "at least 30 seconds");

        Reply created = post(base, OWNER_TOKEN, inboxJson(60));
        assertEquals(created.body(), 201, created.status());
        String inbox = created.json().path("id").asText();
        assertNotContains(created.body(), System.getProperty("dooneflow.it.imap.password"));
        assertEquals(true, created.json().path("passwordSet").asBoolean());
        Reply tested = post(base + "/" + inbox + "/test", OWNER_TOKEN, null);
        assertEquals(tested.body(), true, tested.json().path("ok").asBoolean());

        Reply workflow = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, "{\"name\":\"email-leads\","
                + "\"trigger\":{\"type\":\"email.imap\",\"params\":{\"inboxId\":\"" + inbox + "\",\"subjectFilter\":\"lead\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"" + sink + "/email\",\"payload\":"
                + "{\"subject\":\"{email_subject}\",\"name\":\"{contact_name}\",\"from\":\"{email_from}\"}}}]}");
        assertEquals(workflow.body(), 201, workflow.status());

        deliver("Lena Lindqvist <lena@example.org>", "New lead: Lena");
        deliver("Spam <spam@example.org>", "Cheap watches");
        awaitConsole("dooneflow:inbox-list", inbox, "every 60");
        assertContains(console("dooneflow:inbox-poll " + inbox), "1 new emails processed");

        JsonNode posted = awaitRequests(sink, "/email", 1).get(0);
        JsonNode body = JSON.readTree(posted.path("body").asText());
        assertEquals("New lead: Lena", body.path("subject").asText());
        assertEquals("Lena Lindqvist", body.path("name").asText());
        assertEquals("lena@example.org", body.path("from").asText());
        JsonNode status = get(base + "/" + inbox, OWNER_TOKEN).json();
        assertEquals(1, status.path("messagesProcessed").asInt());
        assertTrue(status.toString(), status.path("lastError").isNull());
        assertTrue(status.toString(), status.path("lastPolledAt").isTextual());

        // Editing the interval replaces the route at once.
        Reply slower = call("PATCH", base + "/" + inbox, OWNER_TOKEN, "{\"pollIntervalSeconds\":45}");
        assertEquals(slower.body(), 200, slower.status());
        awaitConsole("dooneflow:inbox-list", inbox, "every 45");

        // Deactivated, it is not polled; reactivated, it picks up what arrived meanwhile.
        assertEquals(200, call("PATCH", base + "/" + inbox, OWNER_TOKEN, "{\"active\":false}").status());
        awaitConsole("dooneflow:inbox-list", inbox, "no route here");
        deliver("Mo Meyer <mo@example.org>", "Second lead");
        assertContains(console("dooneflow:inbox-poll " + inbox), "not polled on this node");
        assertEquals(1, requests(sink, "/email").size());
        assertEquals(200, call("PATCH", base + "/" + inbox, OWNER_TOKEN, "{\"active\":true}").status());
        awaitConsole("dooneflow:inbox-list", inbox, "every 45");
        assertContains(console("dooneflow:inbox-poll " + inbox), "1 new emails processed");
        awaitRequests(sink, "/email", 2);

        // A wrong password: the inbox says why and Events show it; the fix clears it.
        assertEquals(200, call("PATCH", base + "/" + inbox, OWNER_TOKEN, "{\"password\":\"wrong\"}").status());
        awaitConsole("dooneflow:inbox-poll " + inbox, "", "Authentication failed");
        assertContains(get(base + "/" + inbox, OWNER_TOKEN).json().path("lastError").asText(), "Authentication failed");
        assertContains(get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body(), "Authentication failed");
        assertEquals(200, call("PATCH", base + "/" + inbox, OWNER_TOKEN,
                "{\"password\":\"" + System.getProperty("dooneflow.it.imap.password") + "\"}").status());
        awaitConsole("dooneflow:inbox-poll " + inbox, "", "polled;");
        assertTrue(get(base + "/" + inbox, OWNER_TOKEN).json().path("lastError").isNull());

        // The served OpenAPI document includes the connector's fragment.
        assertContains(get("/v1/openapi.json", null).body(), "/v1/organizations/{orgId}/email-inboxes/{id}/test");

        assertEquals(204, call("DELETE", base + "/" + inbox, OWNER_TOKEN, null).status());
        assertEquals(404, get(base + "/" + inbox, OWNER_TOKEN).status());
    }

    @Test
    public void withIdleEachEmailStartsItsWorkflowWithinTwoSeconds() throws Exception {
        String org = setUp();
        String base = "/v1/organizations/" + org + "/email-inboxes";
        Reply created = post(base, OWNER_TOKEN, "{\"emailAddress\":\"pushed@it.example\",\"host\":\"127.0.0.1\","
                + "\"port\":" + imapPort() + ",\"security\":\"none\",\"username\":\"" + HostMail.IDLE_USER
                + "\",\"password\":\"" + System.getProperty("dooneflow.it.imap.password")
                + "\",\"pollIntervalSeconds\":300}");
        assertEquals(created.body(), 201, created.status());
        String inbox = created.json().path("id").asText();
        String workflow = emailWorkflow(org, inbox, "pushed");
        awaitConsole("dooneflow:inbox-list", inbox, "every 300");
        console("dooneflow:inbox-poll " + inbox); // the poll that takes the lease opens the IDLE connection
        Awaitility.await("IDLE").atMost(Duration.ofSeconds(30)).until(() -> "idle".equals(
                get(base + "/" + inbox, OWNER_TOKEN).json().path("mode").asText()));

        List<Long> delays = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int count = i;
            long sent = System.nanoTime();
            deliver(HostMail.IDLE_USER, System.getProperty("dooneflow.it.imap.password"), "Lead " + i + " <l@it.example>",
                    "Pushed " + i);
            Awaitility.await("execution " + i).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> executionCount(org, workflow) == count);
            delays.add((System.nanoTime() - sent) / 1_000_000);
        }
        System.out.println("IDLE on the distribution: delivery to execution " + delays + " ms");
        // The count is recorded when the poll ends, just after its executions were created.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/" + inbox, OWNER_TOKEN).json()
                .path("messagesProcessed").asInt() == 5);
        JsonNode status = get(base + "/" + inbox, OWNER_TOKEN).json();
        assertTrue(status.toString(), status.path("lastEventAt").isTextual());
        assertTrue(status.toString(), status.path("lastError").isNull());
        assertEquals(204, call("DELETE", base + "/" + inbox, OWNER_TOKEN, null).status());
    }

    @Test
    public void anOAuthInboxReadsMailThroughXoauth2SurvivesRefreshesAndNeedsReconnectWhenRevoked() throws Exception {
        String org = setUp();
        String provider = System.getProperty("dooneflow.it.mail.oauth");
        Reply app = post("/v1/organizations/" + org + "/email-oauth-apps", OWNER_TOKEN, "{\"provider\":\"generic\","
                + "\"clientId\":\"" + HostMailOAuth.CLIENT_ID + "\",\"clientSecret\":\"" + HostMailOAuth.CLIENT_SECRET
                + "\",\"authorizeUrl\":\"" + provider + "/authorize\",\"tokenUrl\":\"" + provider + "/token\","
                + "\"scopes\":\"imap offline_access\"}");
        assertEquals(app.body(), 201, app.status());
        assertNotContains(app.body(), HostMailOAuth.CLIENT_SECRET);
        assertContains(app.json().path("redirectUri").asText(), "/v1/organizations/" + org
                + "/email-inboxes/oauth/callback");

        String base = "/v1/organizations/" + org + "/email-inboxes";
        Reply created = post(base, OWNER_TOKEN, "{\"emailAddress\":\"sales@it.example\",\"auth\":\"oauth2\","
                + "\"oauthProvider\":\"generic\",\"host\":\"127.0.0.1\",\"port\":" + imapPort()
                + ",\"security\":\"none\",\"username\":\"" + HostMail.OAUTH_USER + "\",\"idle\":false}");
        assertEquals(created.body(), 201, created.status());
        assertEquals("not_connected", created.json().path("authStatus").asText());
        String inbox = created.json().path("id").asText();
        String workflow = emailWorkflow(org, inbox, "oauth");

        connect(base, inbox);
        assertEquals("connected", get(base + "/" + inbox, OWNER_TOKEN).json().path("authStatus").asText());
        awaitConsole("dooneflow:inbox-list", inbox, "every 60");
        deliver(HostMail.OAUTH_USER, HostMail.OAUTH_TOKEN, "Ola <ola@it.example>", "OAuth 1");
        assertContains(console("dooneflow:inbox-poll " + inbox), "1 new emails processed");
        Reply tested = post(base + "/" + inbox + "/test", OWNER_TOKEN, null);
        assertContains(tested.json().path("message").asText(), "(OAuth 2.0)");

        // A new connection (the interval changed) refreshes the token, which expires within 5 minutes.
        int refreshes = refreshes(provider);
        assertEquals(200, call("PATCH", base + "/" + inbox, OWNER_TOKEN, "{\"pollIntervalSeconds\":45}").status());
        awaitConsole("dooneflow:inbox-list", inbox, "every 45");
        deliver(HostMail.OAUTH_USER, HostMail.OAUTH_TOKEN, "Ola <ola@it.example>", "OAuth 2");
        assertContains(console("dooneflow:inbox-poll " + inbox), "1 new emails processed");
        assertTrue(refreshes(provider) > refreshes);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> executionCount(org, workflow) == 2);

        // The grant is revoked: the next sign-in turns the inbox needs_reconnect, says so once, and stops polling.
        callUrl("POST", provider + "/__fake/revoke", "");
        assertEquals(200, call("PATCH", base + "/" + inbox, OWNER_TOKEN, "{\"pollIntervalSeconds\":50}").status());
        awaitConsole("dooneflow:inbox-list", inbox, "every 50");
        assertContains(console("dooneflow:inbox-poll " + inbox), "needs to be reconnected");
        JsonNode revoked = get(base + "/" + inbox, OWNER_TOKEN).json();
        assertEquals(revoked.toString(), "needs_reconnect", revoked.path("authStatus").asText());
        assertContains(revoked.path("lastError").asText(), "needs to be reconnected");
        assertContains(get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body(), "needs to be reconnected");

        // Connecting again resumes, and what arrived meanwhile is read.
        deliver(HostMail.OAUTH_USER, HostMail.OAUTH_TOKEN, "Ola <ola@it.example>", "OAuth 3");
        connect(base, inbox);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                console("dooneflow:inbox-poll " + inbox).contains("1 new emails processed"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> executionCount(org, workflow) == 3);
        assertTrue(get(base + "/" + inbox, OWNER_TOKEN).json().path("lastError").isNull());
    }

    /** Plays the browser: Connect, consent at the provider, and back to the distribution's callback. */
    private static void connect(String base, String inbox) throws Exception {
        Reply started = post(base + "/" + inbox + "/connect", OWNER_TOKEN, null);
        assertEquals(started.body(), 200, started.status());
        String authorizeUrl = started.json().path("authorizeUrl").asText();
        assertContains(authorizeUrl, "code_challenge_method=S256");
        java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        java.net.http.HttpResponse<String> consent = browser.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(authorizeUrl)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(302, consent.statusCode());
        // The redirect URI names publicUrl; this browser reaches the distribution at base().
        java.net.URI back = java.net.URI.create(consent.headers().firstValue("Location").orElseThrow());
        java.net.http.HttpResponse<String> done = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                base() + back.getRawPath() + "?" + back.getRawQuery())).header("Accept", "text/html").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(done.body(), 200, done.statusCode());
        assertContains(done.body(), "is connected");
    }

    private static int refreshes(String provider) {
        return Integer.parseInt(callUrl("GET", provider + "/__fake/refreshes", null).body().trim());
    }

    private static String emailWorkflow(String org, String inbox, String name) {
        stub(System.getProperty("dooneflow.it.sink"), "{\"request\":{\"method\":\"POST\",\"url\":\"/" + name
                + "\"},\"response\":{\"status\":200}}");
        Reply workflow = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, "{\"name\":\"email-" + name + "\","
                + "\"trigger\":{\"type\":\"email.imap\",\"params\":{\"inboxId\":\"" + inbox + "\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"" + System.getProperty("dooneflow.it.sink")
                + "/" + name + "\",\"payload\":{\"subject\":\"{email_subject}\"}}}]}");
        assertEquals(workflow.body(), 201, workflow.status());
        return workflow.json().path("id").asText();
    }

    private static int executionCount(String org, String workflow) {
        return get("/v1/organizations/" + org + "/executions?workflowId=" + workflow + "&limit=500", OWNER_TOKEN)
                .json().path("items").size();
    }

    private static String inboxJson(int pollSeconds) {
        return "{\"emailAddress\":\"support@it.example\",\"host\":\"127.0.0.1\",\"port\":" + imapPort()
                + ",\"security\":\"none\",\"username\":\"" + System.getProperty("dooneflow.it.imap.user")
                + "\",\"password\":\"" + System.getProperty("dooneflow.it.imap.password")
                + "\",\"pollIntervalSeconds\":" + pollSeconds + "}";
    }

    private static void deliver(String from, String subject) throws Exception {
        deliver(System.getProperty("dooneflow.it.imap.user"), System.getProperty("dooneflow.it.imap.password"), from,
                subject);
    }

    /** Appends an email to a mailbox of the test host over IMAP, as a mail client would. */
    private static void deliver(String user, String password, String from, String subject) throws Exception {
        String raw = "From: " + from + "\r\nTo: support@it.example\r\nSubject: " + subject + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@it.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "Hello\r\n";
        Session session = Session.getInstance(new Properties());
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", imapPort(), user, password);
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE);
            folder.appendMessages(new Message[] {new MimeMessage(session,
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)))});
            folder.close(false);
        }
    }

    /** Runs a console command until its output has a line with both parts. */
    private void awaitConsole(String command, String part, String other) {
        Awaitility.await(command + " shows " + part + " " + other).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> console(command).lines()
                        .anyMatch(line -> line.contains(part) && line.contains(other)));
    }

    private String setUp() {
        awaitHealthy();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> get("/v1/connectors", OWNER_TOKEN).body()
                .contains("email.imap") && get("/v1/me", OWNER_TOKEN).status() == 200);
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }

    private static void stub(String sink, String mapping) {
        Reply r = callUrl("POST", sink + "/__admin/mappings", mapping);
        assertTrue(r.body(), r.status() == 201);
    }

    private static List<JsonNode> requests(String sink, String url) {
        JsonNode all = callUrl("GET", sink + "/__admin/requests", null).json().path("requests");
        List<JsonNode> matching = new ArrayList<>();
        all.forEach(r -> {
            if (url.equals(r.path("request").path("url").asText())) {
                matching.add(r.path("request"));
            }
        });
        return matching;
    }

    private static List<JsonNode> awaitRequests(String sink, String url, int count) {
        Awaitility.await(count + " requests to " + url).atMost(Duration.ofSeconds(60))
                .until(() -> requests(sink, url).size() >= count);
        List<JsonNode> r = requests(sink, url);
        assertEquals(count, r.size());
        return r;
    }
}
