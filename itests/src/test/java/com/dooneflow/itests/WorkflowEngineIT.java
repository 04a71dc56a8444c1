package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.awaitility.Awaitility;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.api.store.WorkflowStore;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/** Workflows end to end on PostgreSQL: webhook in, Call Webhook out (to WireMock), retries, keys, waiting. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
// Reinstalling a connector redeploys the REST application for a moment, so that test runs last.
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class WorkflowEngineIT extends DooneFlowTestSupport {

    @Inject
    FeaturesService features;
    @Inject
    OrganizationService organizations;
    @Inject
    AccessService access;

    @Inject
    WorkflowStore workflowStore;

    @Inject
    InvitationService invitations;

    @Configuration
    public Option[] config() {
        String url = postgresDatabaseOfThisClass();
        List<Option> options = ownerOnPostgres(url);
        options.add(loopbackAllowed());
        options.add(systemProperty("dooneflow.it.sink").value("http://127.0.0.1:" + HostSink.start()));
        // A short lease, so a step longer than it takes seconds to show, not minutes.
        options.add(editConfigurationFilePut("etc/com.dooneflow.engine.cfg", "leaseSeconds", String.valueOf(LEASE_SECONDS)));
        return distribution(options.toArray(new Option[0]));
    }

    private static final int LEASE_SECONDS = 6;

    private static String sink() {
        return System.getProperty("dooneflow.it.sink");
    }

    @Test
    public void aWebhookRunsCallWebhookWithTheRenderedPayloadAndAnIdempotencyKey() {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/basic\"},\"response\":{\"status\":200,\"body\":\"{\\\"ok\\\":true}\"}}");
        String workflow = createWorkflow(org, "basic", "none", sink() + "/basic", null);

        Reply accepted = post("/webhook/it-basic", null,
                "{\"name\":\"Ann\\\",\\\"admin\\\":true\",\"phone\":\"+15551234567\",\"email\":\"ann@example.com\"}");
        assertEquals(accepted.body(), 202, accepted.status());
        String id = accepted.json().path("executionIds").path(0).asText();
        JsonNode execution = awaitStatus(org, id, "succeeded");
        assertEquals(200, execution.path("steps").path(0).path("output").path("status").asInt());
        assertEquals(409, post("/v1/organizations/" + org + "/executions/" + id + "/retry", OWNER_TOKEN, null).status());

        JsonNode request = onlyRequest("/basic");
        assertEquals(id + ":0", header(request, "Idempotency-Key"));
        JsonNode body = json(request.path("body").asText());
        assertEquals("Ann\",\"admin\":true", body.path("name").asText());
        assertFalse("injection stayed a string", body.has("admin"));
        assertEquals("+15551234567", body.path("phone").asText());
        assertEquals("ann@example.com", body.path("email").asText());

        assertEquals(405, get("/webhook/it-basic", null).status());
        assertEquals(404, post("/webhook/it-nothing-here", null, "{}").status());

        // The test URL answers with the execution's data: members of the workflow's organization only.
        Reply anonymous = post("/webhook-test/it-basic", null, "{\"name\":\"Test Run\"}");
        assertEquals(anonymous.body(), 401, anonymous.status());
        Reply stranger = post("/webhook-test/it-basic", otherOrganizationsOwnerToken(), "{\"name\":\"Test Run\"}");
        assertEquals(stranger.body(), 404, stranger.status());
        assertEquals("a path of another organization looks unknown", post("/webhook-test/it-nothing-here",
                OWNER_TOKEN, "{}").body(), stranger.body());
        assertNotContains(stranger.body(), org);
        assertEquals("refused tests ran nothing", 1, executionCount(org, workflow));

        // For a member it runs the workflow once and answers with the finished execution.
        Reply test = post("/webhook-test/it-basic", OWNER_TOKEN, "{\"name\":\"Test Run\"}");
        assertEquals(test.body(), 200, test.status());
        assertEquals("succeeded", test.json().path("executions").path(0).path("status").asText());
        assertEquals(2, executionCount(org, workflow));
    }

    @Test
    public void theConsoleShowsWorkflowsExecutionsAndConnectors() throws Exception {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/console\"},\"response\":{\"status\":200}}");
        String workflow = createWorkflow(org, "console", "none", sink() + "/console", null);
        String id = post("/webhook/it-console", null, "{}").json().path("executionIds").path(0).asText();
        awaitStatus(org, id, "succeeded");

        assertContains(console("dooneflow:workflow-list " + org), workflow);
        assertContains(console("dooneflow:workflow-show " + workflow), "webhook.call");
        assertContains(console("dooneflow:execution-list --status succeeded " + org), id);
        assertContains(console("dooneflow:execution-show " + id), "succeeded");
        assertContains(console("dooneflow:connector-list"), "webhook.call");
        console("dooneflow:workflow-disable " + workflow);
        assertEquals(404, post("/webhook/it-console", null, "{}").status());
        console("dooneflow:workflow-enable " + workflow);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> post("/webhook/it-console", null, "{}").status() == 202);
    }

    @Test
    public void switchingToKeyAuthenticationOnAnotherNodeIsEnforcedHereAtOnce() {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/switched\"},\"response\":{\"status\":200}}");
        String id = createWorkflow(org, "switched", "none", sink() + "/switched", null);
        assertEquals(202, post("/webhook/it-switched", null, "{}").status()); // the route is cached now

        // What another node's save does: the row changes in the database, this node's caches are not told.
        WorkflowRow row = workflowStore.get(org, id).orElseThrow();
        workflowStore.update(new WorkflowRow(row.id(), org, row.name(), true, row.version() + 1, row.triggerType(),
                row.triggerKey(), row.definition().replace("\"authentication\":\"none\"", "\"authentication\":\"key\""),
                row.createdAt(), Instant.now()), true);
        long changed = System.nanoTime();

        Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> post("/webhook/it-switched", null, "{}").status() == 401);
        System.out.println("key authentication enforced " + (System.nanoTime() - changed) / 1_000_000
                + " ms after another node's change");
    }

    @Test
    public void aWrongKeyIsRefusedAndCreatesNoExecution() {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/keyed\"},\"response\":{\"status\":200}}");
        String workflow = createWorkflow(org, "keyed", "key", sink() + "/keyed", null);
        String key = post("/v1/organizations/" + org + "/workflows/" + workflow + "/webhook-key", OWNER_TOKEN, null)
                .json().path("webhookKey").asText();

        int before = executionCount(org, workflow);
        assertEquals(401, call("POST", "/webhook/it-keyed", null, "{}").status());
        assertEquals(401, postWithHeaders("/webhook/it-keyed", "{}", Map.of("X-Webhook-Key", key + "x")).status());
        assertEquals(before, executionCount(org, workflow));

        Reply ok = postWithHeaders("/webhook/it-keyed", "{\"name\":\"Bo\"}", Map.of("X-Webhook-Key", key));
        assertEquals(ok.body(), 202, ok.status());
        assertEquals(before + 1, executionCount(org, workflow));
    }

    @Test
    public void aSignedStandardWebhookIsVerifiedAndAReplayIsDeduplicated() throws Exception {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/signed\"},\"response\":{\"status\":200}}");
        String workflow = createWorkflow(org, "signed", "standard-webhooks", sink() + "/signed", null);
        String secret = post("/v1/organizations/" + org + "/workflows/" + workflow + "/webhook-key", OWNER_TOKEN, null)
                .json().path("signingSecret").asText();

        String body = "{\"name\":\"Cy\"}";
        String msgId = "msg_" + System.nanoTime();
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        Map<String, String> headers = Map.of("webhook-id", msgId, "webhook-timestamp", timestamp,
                "webhook-signature", "v1," + sign(secret, msgId + "." + timestamp + "." + body));
        Reply first = postWithHeaders("/webhook/it-signed", body, headers);
        assertEquals(first.body(), 202, first.status());
        Reply replay = postWithHeaders("/webhook/it-signed", body, headers);
        assertEquals(202, replay.status());
        assertEquals(first.json().path("executionIds"), replay.json().path("executionIds"));
        assertEquals(1, executionCount(org, workflow));

        Map<String, String> forged = Map.of("webhook-id", "msg_forged", "webhook-timestamp", timestamp,
                "webhook-signature", "v1," + sign(secret, "msg_forged." + timestamp + ".{}"));
        assertEquals(401, postWithHeaders("/webhook/it-signed", body, forged).status());
    }

    @Test
    public void aSinkAnswering503TwiceThen200GetsThreeAttempts() {
        String org = setUp();
        for (String[] s : new String[][] {{"Started", "one"}, {"one", "two"}}) {
            stub("{\"scenarioName\":\"flaky\",\"requiredScenarioState\":\"" + s[0] + "\",\"newScenarioState\":\"" + s[1]
                    + "\",\"request\":{\"method\":\"POST\",\"url\":\"/flaky\"},\"response\":{\"status\":503}}");
        }
        stub("{\"scenarioName\":\"flaky\",\"requiredScenarioState\":\"two\","
                + "\"request\":{\"method\":\"POST\",\"url\":\"/flaky\"},\"response\":{\"status\":200}}");
        createWorkflow(org, "flaky", "none", sink() + "/flaky", "{\"maxAttempts\":5,\"initialDelayMillis\":200}");

        String id = post("/webhook/it-flaky", null, "{}").json().path("executionIds").path(0).asText();
        JsonNode execution = awaitStatus(org, id, "succeeded");
        assertEquals(3, execution.path("steps").path(0).path("attempts").asInt());
        assertEquals(3, requests("/flaky").size());
    }

    @Test
    public void aStepLongerThanTheLeaseRunsOnceAndCompletes() {
        String org = setUp();
        int answerAfterMillis = LEASE_SECONDS * 2500; // two and a half leases
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/slow\"},\"response\":{\"status\":200,"
                + "\"fixedDelayMilliseconds\":" + answerAfterMillis + "}}");
        createWorkflow(org, "slow", "none", sink() + "/slow", null, 30);

        String id = post("/webhook/it-slow", null, "{}").json().path("executionIds").path(0).asText();
        JsonNode execution = awaitStatus(org, id, "succeeded");

        assertEquals(1, execution.path("steps").path(0).path("attempts").asInt());
        assertEquals("the claim was renewed, so no other worker called again", 1, requests("/slow").size());
    }

    @Test
    public void cancelStopsARunningStepAtOnceAndARetryingExecutionBeforeItsNextAttempt() throws Exception {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/stuck\"},\"response\":{\"status\":200,"
                + "\"fixedDelayMilliseconds\":60000}}");
        createWorkflow(org, "stuck", "none", sink() + "/stuck", null, 90);
        String running = post("/webhook/it-stuck", null, "{}").json().path("executionIds").path(0).asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> requests("/stuck").size() == 1);

        Reply cancelled = post("/v1/organizations/" + org + "/executions/" + running + "/cancel", OWNER_TOKEN, null);
        assertEquals(cancelled.body(), 200, cancelled.status());
        // The running call is aborted at once, not after its 60 s answer or 90 s timeout.
        JsonNode stopped = awaitStatus(org, running, "cancelled", Duration.ofSeconds(15));
        assertEquals("retrying", stopped.path("steps").path(0).path("status").asText());
        assertEquals(409, post("/v1/organizations/" + org + "/executions/" + running + "/cancel", OWNER_TOKEN, null).status());

        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/down\"},\"response\":{\"status\":503}}");
        String workflow = createWorkflow(org, "down", "none", sink() + "/down",
                "{\"maxAttempts\":5,\"initialDelayMillis\":600000}", null);
        String retrying = post("/webhook/it-down", null, "{}").json().path("executionIds").path(0).asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/organizations/" + org + "/executions/"
                + retrying, OWNER_TOKEN).json().path("steps").path(0).path("attempts").asInt() == 1);
        assertContains(console("dooneflow:execution-cancel " + retrying), "cancelled");
        assertEquals("cancelled", get("/v1/organizations/" + org + "/executions/" + retrying, OWNER_TOKEN)
                .json().path("status").asText());

        // A disabled workflow's unfinished executions are cancelled in one call, then retried by choice.
        String another = post("/webhook/it-down", null, "{}").json().path("executionIds").path(0).asText();
        call("PATCH", "/v1/organizations/" + org + "/workflows/" + workflow, OWNER_TOKEN, "{\"enabled\":false}");
        Reply all = post("/v1/organizations/" + org + "/workflows/" + workflow + "/cancel-executions", OWNER_TOKEN, null);
        assertEquals(all.body(), 200, all.status());
        assertEquals(1, all.json().path("cancelled").asInt());
        awaitStatus(org, another, "cancelled", Duration.ofSeconds(15));
        Reply again = post("/v1/organizations/" + org + "/executions/" + another + "/retry", OWNER_TOKEN, null);
        assertEquals(again.body(), 200, again.status());
        assertEquals(1, requests("/stuck").size());
    }

    @Test
    public void aRedirectIsNotFollowedAndAnUnlistedPrivateAddressIsRefused() {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/moved\"},\"response\":{\"status\":302,"
                + "\"headers\":{\"Location\":\"" + sink() + "/elsewhere\"}}}");
        createWorkflow(org, "moved", "none", sink() + "/moved", "{\"maxAttempts\":1}");
        String moved = post("/webhook/it-moved", null, "{}").json().path("executionIds").path(0).asText();
        JsonNode failed = awaitStatus(org, moved, "failed");
        assertContains(failed.path("error").asText(), "redirect");
        assertEquals(0, requests("/elsewhere").size());
        assertContains(get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body(), moved);

        // A failed execution can be run again from its failed step.
        Reply retried = post("/v1/organizations/" + org + "/executions/" + moved + "/retry", OWNER_TOKEN, null);
        assertEquals(retried.body(), 200, retried.status());
        awaitStatus(org, moved, "failed");
        assertEquals(2, requests("/moved").size());

        // 127.0.0.2 is loopback but not on the allowlist (127.0.0.1/32): refused before any connection.
        String privateUrl = sink().replace("127.0.0.1", "127.0.0.2") + "/private";
        createWorkflow(org, "private", "none", privateUrl, "{\"maxAttempts\":1}");
        String refused = post("/webhook/it-private", null, "{}").json().path("executionIds").path(0).asText();
        assertContains(awaitStatus(org, refused, "failed").path("error").asText(), "DOONEFLOW_OUTBOUND_ALLOWLIST");
    }

    @Test
    public void invalidWorkflowsAreRefusedNamingThePath() {
        String org = setUp();
        Reply bad = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN,
                "{\"name\":\"bad\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"it-bad\"}},"
                        + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"" + sink() + "\"}},"
                        + "{\"type\":\"webhook.call\",\"params\":{\"timeoutSeconds\":\"soon\"}},{\"type\":\"no.such\"}]}");
        assertEquals(bad.body(), 422, bad.status());
        String fields = bad.json().path("errors").toString();
        assertContains(fields, "actions[1].params.url");
        assertContains(fields, "actions[1].params.timeoutSeconds");
        assertContains(fields, "actions[2].type");

        createWorkflow(org, "taken", "none", sink() + "/x", null);
        Reply duplicatePath = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, workflowJson("taken", "none",
                sink() + "/x", null, null));
        assertEquals(409, duplicatePath.status());
    }

    /** Named to run late: the test client's address stays over the limit for up to a minute afterwards. */
    @Test
    public void yRepeatedWrongKeysAndTokensAreAnswered429WhileTheRightOnesStillPass() throws Exception {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/limited\"},\"response\":{\"status\":200}}");
        String workflow = createWorkflow(org, "limited", "key", sink() + "/limited", null);
        String key = post("/v1/organizations/" + org + "/workflows/" + workflow + "/webhook-key", OWNER_TOKEN, null)
                .json().path("webhookKey").asText();
        Map<String, String> wrongKey = Map.of("X-Webhook-Key", key + "-wrong", "Content-Type", "application/json");

        // 20 failures a minute per address and per path by default; earlier tests may have spent a few.
        assertEquals(401, raw("POST", "/webhook/it-limited", wrongKey).statusCode());
        for (int i = 2; i <= 25; i++) {
            int status = raw("POST", "/webhook/it-limited", wrongKey).statusCode();
            assertTrue("wrong key " + i + ": " + status, status == 401 || status == 429);
        }
        HttpResponse<String> limited = raw("POST", "/webhook/it-limited", wrongKey);
        assertEquals(limited.body(), 429, limited.statusCode());
        assertRetryAfter(limited);
        assertContains(limited.body(), "too-many-failed-authentications");
        assertEquals(0, executionCount(org, workflow));

        Reply ok = postWithHeaders("/webhook/it-limited", "{\"name\":\"Di\"}", Map.of("X-Webhook-Key", key));
        assertEquals("the right key is never refused", 202, ok.status());
        assertEquals(1, executionCount(org, workflow));
        // The organization's owners see it among the events, without the key.
        String events = get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body();
        assertContains(events, "it-limited");
        assertNotContains(events, key);

        // The REST API counts wrong bearer tokens the same way; the owner's token still works.
        Map<String, String> wrongToken = Map.of("Authorization", "Bearer dft_NotAToken0123456789abcdefghijklmnopqrstu");
        for (int i = 1; i <= 25; i++) {
            int status = raw("GET", "/v1/me", wrongToken).statusCode();
            assertTrue("wrong token " + i + ": " + status, status == 401 || status == 429);
        }
        HttpResponse<String> tokenLimited = raw("GET", "/v1/me", wrongToken);
        assertEquals(tokenLimited.body(), 429, tokenLimited.statusCode());
        assertRetryAfter(tokenLimited);
        assertEquals(200, get("/v1/me", OWNER_TOKEN).status());

        // Both are in the security log, with neither the key nor the token.
        Path securityLog = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"),
                "dooneflow-security.log");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(securityLog)
                && Files.readString(securityLog).contains("Too many failed webhook authentications on /webhook/it-limited")
                && Files.readString(securityLog).contains("Too many failed API token authentications"));
        String logged = Files.readString(securityLog);
        assertNotContains(logged, key);
        assertNotContains(logged, "dft_NotAToken");
    }

    @Test
    public void zAnExecutionWaitsWhileTheConnectorIsUninstalledAndCompletesWhenItReturns() throws Exception {
        String org = setUp();
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/later\"},\"response\":{\"status\":200}}");
        AtomicReference<TriggerSink> sinkRef = new AtomicReference<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(TriggerSource.TYPE, "it.manual");
        ServiceRegistration<TriggerSource> reg = bundleContext.registerService(TriggerSource.class, new TriggerSource() {
            @Override
            public TypeDescriptor descriptor() {
                return new TypeDescriptor("it.manual", TypeDescriptor.Kind.TRIGGER, "Manual", "test", List.of());
            }

            @Override
            public void open(TriggerSink sink) {
                sinkRef.set(sink);
            }

            @Override
            public void close() {
                sinkRef.set(null);
            }
        }, props);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sinkRef.get() != null);
            Reply created = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN,
                    "{\"name\":\"later\",\"trigger\":{\"type\":\"it.manual\",\"params\":{}},\"actions\":[{\"type\":"
                            + "\"webhook.call\",\"params\":{\"url\":\"" + sink() + "/later\",\"payload\":{\"n\":\"{n}\"}}}]}");
            assertEquals(created.body(), 201, created.status());
            String workflow = created.json().path("id").asText();

            features.uninstallFeature("dooneflow-connector-webhook", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.addAll(sinkRef.get().accept(new TriggerEvent(org, "it.manual", List.of(workflow), null,
                        Map.of("n", i))).executionIds());
            }
            for (String id : ids) {
                JsonNode waiting = awaitStatus(org, id, "waiting");
                assertEquals("webhook.call", waiting.path("waitingFor").asText());
            }
            features.installFeature("dooneflow-connector-webhook", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            for (String id : ids) {
                awaitStatus(org, id, "succeeded");
            }
            assertEquals(3, requests("/later").size());
        } finally {
            reg.unregister();
            if (!features.isInstalled(features.getFeature("dooneflow-connector-webhook"))) {
                features.installFeature("dooneflow-connector-webhook");
            }
        }
    }

    // ---- helpers ----

    private String setUp() {
        awaitHealthy(); // also after a test reinstalled the webhook connector: health waits for its components and routes
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }

    private static String workflowJson(String name, String authentication, String url, String retry,
                                       Integer timeoutSeconds) {
        return "{\"name\":\"" + name + "\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"it-" + name
                + "\",\"authentication\":\"" + authentication + "\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":"
                + "{\"url\":\"" + url + "\",\"payload\":{\"name\":\"{contact_name}\",\"phone\":\"{contact_phone}\","
                + "\"email\":\"{contact_email}\"}" + (timeoutSeconds == null ? "" : ",\"timeoutSeconds\":" + timeoutSeconds)
                + "}" + (retry == null ? "" : ",\"retry\":" + retry) + "}]}";
    }

    private static String createWorkflow(String org, String name, String authentication, String url, String retry) {
        return createWorkflow(org, name, authentication, url, retry, null);
    }

    private static String createWorkflow(String org, String name, String authentication, String url, String retry,
                                         Integer timeoutSeconds) {
        Reply r = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN,
                workflowJson(name, authentication, url, retry, timeoutSeconds));
        assertEquals(r.body(), 201, r.status());
        return r.json().path("id").asText();
    }

    private static JsonNode awaitStatus(String org, String executionId, String status) {
        return awaitStatus(org, executionId, status, Duration.ofSeconds(60));
    }

    private static JsonNode awaitStatus(String org, String executionId, String status, Duration atMost) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await("execution " + executionId + " " + status).atMost(atMost)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    last.set(get("/v1/organizations/" + org + "/executions/" + executionId, OWNER_TOKEN).json());
                    return status.equals(last.get().path("status").asText());
                });
        return last.get();
    }

    private static int executionCount(String org, String workflow) {
        return get("/v1/organizations/" + org + "/executions?workflowId=" + workflow + "&limit=500", OWNER_TOKEN)
                .json().path("items").size();
    }

    /** Created once: the owner of a second organization, which has no workflow. */
    private String otherOrganizationsOwnerToken() {
        Organization other = organizations.create(Principal.SYSTEM, "Other Corp");
        invitations.acceptWithToken(Optional.empty(),
                invitations.invite(Principal.SYSTEM, other.id(), "mallory@it.example", Role.OWNER).acceptToken());
        return access.createTokenFor("mallory@it.example", "it").secret();
    }

    /** A request whose answer headers the test reads (a POST sends {@code {}}). */
    private static HttpResponse<String> raw(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        b.method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("{}")
                : HttpRequest.BodyPublishers.noBody());
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRetryAfter(HttpResponse<String> r) {
        long seconds = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue("Retry-After " + seconds, seconds >= 1 && seconds <= 60);
    }

    private static Reply postWithHeaders(String path, String body, Map<String, String> headers) {
        return DooneFlowTestSupport.callWithHeaders("POST", path, body, headers);
    }

    private static void stub(String mapping) {
        stubSink(sink(), mapping);
    }

    private static List<JsonNode> requests(String url) {
        return sinkRequests(sink(), url);
    }

    private static JsonNode onlyRequest(String url) {
        List<JsonNode> r = requests(url);
        assertEquals(1, r.size());
        return r.get(0);
    }

    private static String header(JsonNode request, String name) {
        var it = request.path("headers").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isArray() ? e.getValue().path(0).asText() : e.getValue().asText();
            }
        }
        return null;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + e.getMessage() + "): " + text);
        }
    }

    private static String sign(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
