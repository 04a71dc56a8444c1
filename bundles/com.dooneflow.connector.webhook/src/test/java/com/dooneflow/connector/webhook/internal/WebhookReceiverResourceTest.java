package com.dooneflow.connector.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.json.JsonLimits;
import com.dooneflow.api.Event;
import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.TriggerSecrets;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink.Acceptance;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.dooneflow.testing.InMemorySecretVault;
import com.dooneflow.testing.MutableClock;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.RecordingTriggerSink;
import com.dooneflow.testing.RecordingAuditLog;
import com.fasterxml.jackson.core.type.TypeReference;

/** The receiver as a plain object, with the real routing and in-memory core services. */
class WebhookReceiverResourceTest {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String SIGNED_BODY = new String(StandardWebhooksTest.BODY, StandardCharsets.UTF_8);

    private final VersionCheckingSink sink = new VersionCheckingSink();
    private final InMemorySecretVault vault = new InMemorySecretVault();
    private final WebhookTrigger trigger = new WebhookTrigger();
    private final MutableClock clock = new MutableClock(StandardWebhooksTest.THEN);
    private final RecordingEventLog events = new RecordingEventLog();
    private final List<String> securityLog = new ArrayList<>();
    /** As the engine's intake: commits nothing when a routed workflow's version is no longer the one in the list. */
    static final class VersionCheckingSink extends RecordingTriggerSink {
        volatile boolean alwaysStale;

        @Override
        public synchronized Acceptance accept(TriggerEvent event) {
            boolean stale = alwaysStale || bindingList().stream().anyMatch(b -> {
                Integer routed = event.workflowVersions().get(b.workflowId());
                return routed != null && routed != b.workflowVersion();
            });
            return stale ? Acceptance.staleRouting() : super.accept(event);
        }
    }

    /** org-1 has an owner and a member; org-2 has its own owner. */
    private final InMemoryOrganizationService organizations = new InMemoryOrganizationService()
            .grant("ann", "org-1", Role.OWNER).grant("bo", "org-1", Role.MEMBER).grant("eve", "org-2", Role.OWNER);
    /** API tokens: "tok-<user>"; "tok-bo-org-2" is bo's token scoped to org-2, where bo is not a member. */
    private final Map<String, Principal> tokens = Map.of(
            "tok-ann", Principal.user("ann", "ann@example.com", "t-ann", null),
            "tok-bo", Principal.user("bo", "bo@example.com", "t-bo", null),
            "tok-bo-org-2", Principal.user("bo", "bo@example.com", "t-bo2", "org-2"),
            "tok-eve", Principal.user("eve", "eve@example.com", "t-eve", null));
    private final AccessService access = (AccessService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AccessService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("authenticate")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                return Optional.ofNullable(tokens.get((String) args[0]));
            });
    private WebhookReceiverResource resource = resource(1024 * 1024, 20, clock);

    private WebhookReceiverResource resource(int maxBodyBytes, int failuresPerMinute, Clock at) {
        return new WebhookReceiverResource(trigger, vault::get, access, organizations, events, maxBodyBytes,
                failuresPerMinute, at, securityLog::add);
    }

    @BeforeEach
    void workflows() {
        sink.bindingList().add(new TriggerBinding("org-1", "wf-open", 1, Map.of("path", "orders/new")));
        sink.bindingList().add(new TriggerBinding("org-1", "wf-key", 1, Map.of("path", "keyed", "authentication", "key")));
        sink.bindingList().add(new TriggerBinding("org-2", "wf-signed", 3,
                Map.of("path", "signed", "authentication", "standard-webhooks")));
        vault.put("org-1", "wf-key", WorkflowSecrets.WEBHOOK_KEY, "s3cret-key");
        vault.put("org-2", "wf-signed", WorkflowSecrets.SIGNING_SECRET, StandardWebhooksTest.SECRET);
        trigger.open(sink);
    }

    private static WebhookHeaders headers(String contentType) {
        WebhookHeaders h = new WebhookHeaders();
        h.contentType = contentType;
        return h;
    }

    private static WebhookHeaders signed(String signature) {
        WebhookHeaders h = headers(JSON);
        h.webhookId = StandardWebhooksTest.ID;
        h.webhookTimestamp = Long.toString(StandardWebhooksTest.TIMESTAMP);
        h.webhookSignature = signature;
        return h;
    }

    private Response post(String path, WebhookHeaders headers, String body) {
        return resource.receive("webhook", path, headers,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entity(Response r) {
        return (Map<String, Object>) r.getEntity();
    }

    @SuppressWarnings("unchecked")
    private static List<String> executionIds(Response r) {
        return (List<String>) ((Map<String, Object>) r.getEntity()).get("executionIds");
    }

    private static Map<String, Object> problem(Response r, int status) throws Exception {
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(String.valueOf(r.getMediaType())).isEqualTo("application/problem+json");
        Map<String, Object> p = Json.MAPPER.readValue((String) r.getEntity(), new TypeReference<>() {
        });
        assertThat(p).containsEntry("status", status).containsKeys("type", "title", "detail");
        return p;
    }

    @Test
    void jsonObjectFieldsBecomeTheTriggerData() {
        Response r = post("orders/new", headers(JSON), "{\"name\": \"Ann\", \"total\": 12.5, \"tags\": [\"a\"], "
                + "\"address\": {\"city\": \"Oslo\"}, \"note\": null}");
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(executionIds(r)).hasSize(1);
        assertThat(entity(r)).doesNotContainKey("duplicate");
        TriggerEvent e = sink.offered().get(0);
        assertThat(e.organizationId()).isEqualTo("org-1");
        assertThat(e.type()).isEqualTo("webhook");
        assertThat(e.workflowIds()).containsExactly("wf-open");
        assertThat(e.dedupeKey()).isNull();
        assertThat(e.data()).containsEntry("name", "Ann").containsEntry("total", 12.5)
                .containsEntry("tags", List.of("a")).containsEntry("address", Map.of("city", "Oslo"))
                .containsEntry("note", null).hasSize(5);
    }

    @Test
    void otherJsonValuesComeAsBodyAndNoBodyAsNoData() {
        assertThat(post("orders/new", headers("application/json; charset=utf-8"), "[1, 2]").getStatus()).isEqualTo(202);
        assertThat(post("orders/new", headers(JSON), "\"hi\"").getStatus()).isEqualTo(202);
        assertThat(post("orders/new", headers("application/cloudevents+json"), "7").getStatus()).isEqualTo(202);
        assertThat(post("orders/new", headers(JSON), "").getStatus()).isEqualTo(202);
        assertThat(post("orders/new", headers(JSON), " \r\n").getStatus()).isEqualTo(202);
        assertThat(sink.offered()).extracting(TriggerEvent::data).containsExactly(
                Map.of("body", List.of(1, 2)), Map.of("body", "hi"), Map.of("body", 7), Map.of(), Map.of());
    }

    @Test
    void formFieldsBecomeStringsAndRepeatedNamesLists() {
        Response r = post("orders/new", headers(FORM + "; charset=UTF-8"),
                "name=Ann+Lee&tag=a&city=S%C3%A3o+Paulo&tag=b&empty=&flag&&tag=c");
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(sink.offered().get(0).data()).isEqualTo(Map.of("name", "Ann Lee", "tag", List.of("a", "b", "c"),
                "city", "São Paulo", "empty", "", "flag", ""));
    }

    @Test
    void malformedBodiesAre400AndReachNoWorkflow() throws Exception {
        assertThat(problem(post("orders/new", headers(JSON), "{\"name\": "), 400).get("detail"))
                .asString().contains("not valid JSON");
        problem(post("orders/new", headers(JSON), "{} trailing"), 400);
        problem(post("orders/new", headers(FORM), "a=%zz"), 400);
        assertThat(sink.offered()).isEmpty();
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        resource = resource(16, 20, clock);
        assertThat(post("orders/new", headers(JSON), "{\"a\":\"1234567\"}").getStatus()).isEqualTo(202); // 15 bytes
        assertThat(post("orders/new", headers(JSON), "{\"a\":\"12345678\"}").getStatus()).isEqualTo(202); // 16
        problem(post("orders/new", headers(JSON), "{\"a\":\"123456789\"}"), 413);
        problem(post("orders/new", headers(JSON), "x".repeat(100_000)), 413);
        assertThat(sink.offered()).hasSize(2);
    }

    @Test
    void bodiesOverAJsonLimitAre400NamingTheLimitAndReachNoWorkflow() throws Exception {
        resource = new WebhookReceiverResource(trigger, vault::get, access, organizations, events,
                new JsonLimits(1024, 4, 10, 5, 3), 20, clock, securityLog::add);
        assertThat(post("orders/new", headers(JSON), "{\"a\": [[[1]]], \"abcde\": \"0123456789\", \"n\": -123}")
                .getStatus()).isEqualTo(202);
        Map<String, String> over = Map.of(
                "{\"a\": [[[[1]]]]}", "maxNestingDepth",
                "{\"a\": \"0123456789x\"}", "maxStringLength",
                "{\"abcdef\": 1}", "maxNameLength",
                "{\"n\": 1234}", "maxNumberLength",
                "{\"n\": 12.34}", "maxNumberLength");
        for (Map.Entry<String, String> body : over.entrySet()) {
            assertThat(problem(post("orders/new", headers(JSON), body.getKey()), 400).get("detail")).asString()
                    .as(body.getKey()).contains(body.getValue());
        }
        assertThat(problem(post("orders/new", headers(FORM), "abcdef=1"), 400).get("detail")).asString()
                .contains("maxNameLength");
        assertThat(problem(post("orders/new", headers(FORM), "a=0123456789x"), 400).get("detail")).asString()
                .contains("maxStringLength");
        assertThat(sink.offered()).hasSize(1);
    }

    @Test
    void theDefaultLimitsRefuseWhatJacksonsOwnLimitsUsedToTurnInto503() throws Exception {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        assertThat(problem(post("orders/new", headers(JSON), deep), 400).get("detail")).asString()
                .contains("deeper than 64 levels").contains("maxNestingDepth");
        assertThat(problem(post("orders/new", headers(JSON), "{\"" + "k".repeat(50_001) + "\": 1}"), 400)
                .get("detail")).asString().contains("4096").contains("maxNameLength");
        assertThat(problem(post("orders/new", headers(JSON), "{\"n\": " + "9".repeat(1001) + "}"), 400)
                .get("detail")).asString().contains("100 digits").contains("maxNumberLength");
        String nested64 = "[".repeat(64) + "]".repeat(64);
        assertThat(post("orders/new", headers(JSON), nested64).getStatus()).isEqualTo(202);
        assertThat(sink.offered()).hasSize(1);
    }

    @Test
    void anIdempotencyKeyOrAWebhookIdMakesAnUnsignedDeliveryDedupe() {
        WebhookHeaders keyed = headers(JSON);
        keyed.idempotencyKey = "order-17";
        Response first = post("orders/new", keyed, "{}");
        WebhookHeaders quoted = headers(JSON);
        quoted.idempotencyKey = "\"order-17\"";
        Response again = post("orders/new", quoted, "{}");
        assertThat(again.getStatus()).isEqualTo(202);
        assertThat(entity(again)).containsEntry("duplicate", true);
        assertThat(executionIds(again)).isEqualTo(executionIds(first));

        WebhookHeaders byId = headers(JSON);
        byId.webhookId = "msg_1";
        post("orders/new", byId, "{}");
        WebhookHeaders both = headers(JSON);
        both.webhookId = "msg_2";
        both.idempotencyKey = "order-18";
        post("orders/new", both, "{}");
        post("orders/new", headers(JSON), "{}");
        assertThat(sink.offered()).extracting(TriggerEvent::dedupeKey).containsExactly(
                "wf-open:order-17", "wf-open:order-17", "wf-open:msg_1", "wf-open:order-18", null);
    }

    @Test
    void aSignedDeliveryDedupesOnItsSignedIdAndNotOnAnIdempotencyKey() {
        WebhookHeaders h = signed(StandardWebhooksTest.SIGNATURE);
        h.idempotencyKey = "something-else";
        assertThat(post("signed", h, SIGNED_BODY).getStatus()).isEqualTo(202);
        assertThat(sink.offered().get(0).dedupeKey()).isEqualTo("wf-signed:" + StandardWebhooksTest.ID);
    }

    @Test
    void aCommitWithAnUnknownOutcomeIs503SayingSoAndTheResendWithItsKeyRunsNothingTwice() throws Exception {
        WebhookHeaders h = headers(JSON);
        h.idempotencyKey = "order-17";
        sink.failAfterCommitWith(new OutcomeUnknownException("the database failed while committing", null));
        Map<String, Object> p = problem(post("orders/new", h, "{\"a\": 1}"), 503);
        assertThat(p.get("type")).asString().endsWith("/outcome-unknown");
        assertThat(p.get("detail")).asString().contains("unknown").contains("webhook-id")
                .contains("Idempotency-Key").contains("will not run twice");

        sink.failAfterCommitWith(null);
        Response resent = post("orders/new", h, "{\"a\": 1}");

        assertThat(resent.getStatus()).isEqualTo(202);
        assertThat(entity(resent)).containsEntry("duplicate", true);
        assertThat(executionIds(resent)).hasSize(1);
        assertThat(sink.accepted()).hasSize(1);
        assertThat(sink.accepted().get(0).test()).as("a real delivery is no test run").isFalse();
    }

    @Test
    void aFailureBeforeTheCommitIs503SayingNothingWasAccepted() throws Exception {
        sink.failWith(new IllegalStateException("database error: refused", new SQLException("refused", "08001")));
        Map<String, Object> p = problem(post("orders/new", headers(JSON), "{}"), 503);
        assertThat(p.get("type")).asString().endsWith("/unavailable");
        assertThat(p.get("detail")).asString().contains("nothing was accepted");
        assertThat(sink.accepted()).isEmpty();
    }

    @Test
    void aTestRunFromTheConsolesSessionNeedsALiveSessionAndItsCsrfToken() throws Exception {
        resource.sessions = new com.dooneflow.api.SessionService() {
            @Override
            public Optional<NewSession> signIn(String email, String password) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<NewSession> signInVerified(String email) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<ActiveSession> authenticate(String secret) {
                return "dfs_bo".equals(secret) ? Optional.of(new ActiveSession(
                        Principal.user("bo", "bo@example.com", null, null), "csrf-bo", clock.instant())) : Optional.empty();
            }

            @Override
            public void signOut(String secret) {
                throw new UnsupportedOperationException();
            }
        };
        WebhookHeaders forged = headers(JSON);
        forged.session = "dfs_bo";
        WebhookHeaders ended = headers(JSON);
        ended.session = "dfs_gone";
        ended.csrfToken = "csrf-bo";
        WebhookHeaders console = headers(JSON);
        console.session = "dfs_bo";
        console.csrfToken = "csrf-bo";

        assertThat(test("orders/new", forged, "{}").getStatus()).as("no CSRF token").isEqualTo(403);
        assertThat(test("orders/new", ended, "{}").getStatus()).isEqualTo(401);
        assertThat(sink.accepted()).isEmpty();
        Response ran = test("orders/new", console, "{}");
        assertThat(ran.getStatus()).isEqualTo(200);
        assertThat(sink.accepted()).hasSize(1);
        assertThat(sink.accepted().get(0).test()).as("a test run is marked as one").isTrue();
    }

    @Test
    void aTestRunWhoseStateCannotBeReadIsStill200ForItWasAccepted() {
        RecordingTriggerSink unreadable = new RecordingTriggerSink() {
            @Override
            public Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout) {
                throw new IllegalStateException("database error: connection refused");
            }
        };
        unreadable.bindingList().addAll(sink.bindingList());
        trigger.open(unreadable);
        Response r = resource.receive("webhook-test", "orders/new", withToken(headers(JSON), "tok-bo"),
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getEntity().toString()).contains("could not be read");
        assertThat(unreadable.accepted()).hasSize(1);
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        problem(post("orders/new", headers("text/plain"), "hello"), 415);
        problem(post("orders/new", headers("multipart/form-data; boundary=x"), "--x--"), 415);
        problem(post("orders/new", headers(null), "{}"), 415);
        problem(post("orders/new", headers("application/json; charset=klingon"), "{}"), 415);
        assertThat(sink.offered()).isEmpty();
    }

    @Test
    void unknownPathsAndAClosedTriggerAre404() throws Exception {
        problem(post("orders/old", headers(JSON), "{}"), 404);
        trigger.close();
        problem(post("orders/new", headers(JSON), "{}"), 404);
        assertThat(sink.offered()).isEmpty();
    }

    @Test
    void aWorkflowDisabledSinceRoutingIs404() throws Exception {
        sink.disable("wf-open");
        problem(post("orders/new", headers(JSON), "{}"), 404);
    }

    @Test
    void aCallerCheckedAgainstAStaleBindingIsCheckedAgainAgainstTheStoredTrigger() throws Exception {
        assertThat(post("orders/new", headers(JSON), "{}").getStatus()).isEqualTo(202); // routes cached
        assertThat(sink.offered()).singleElement().extracting(TriggerEvent::workflowVersions)
                .isEqualTo(Map.of("wf-open", 1));
        // Another node switches the workflow to key authentication; this node has not heard of it yet.
        sink.bindingList().removeIf(b -> b.workflowId().equals("wf-open"));
        sink.bindingList().add(new TriggerBinding("org-1", "wf-open", 2,
                Map.of("path", "orders/new", "authentication", "key")));
        vault.put("org-1", "wf-open", WorkflowSecrets.WEBHOOK_KEY, "new-key");

        Map<String, Object> refused = problem(post("orders/new", headers(JSON), "{\"n\": 2}"), 401);

        assertThat(refused.get("detail")).asString().contains("X-Webhook-Key");
        assertThat(sink.accepted()).as("only the request before the change").hasSize(1);
        WebhookHeaders right = headers(JSON);
        right.key = "new-key";
        assertThat(post("orders/new", right, "{\"n\": 3}").getStatus()).isEqualTo(202);
        assertThat(sink.accepted()).last().satisfies(e -> {
            assertThat(e.workflowVersions()).isEqualTo(Map.of("wf-open", 2));
            assertThat(e.data()).isEqualTo(Map.of("n", 3));
        });
    }

    @Test
    void aWorkflowStillStaleAfterARefreshIs503WithRetryAfterAndAcceptsNothing() throws Exception {
        sink.alwaysStale = true;

        Response r = post("orders/new", headers(JSON), "{}");

        problem(r, 503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(sink.accepted()).isEmpty();
    }

    @Test
    void keyAuthenticationNeedsTheRightKey() throws Exception {
        problem(post("keyed", headers(JSON), "{}"), 401);
        WebhookHeaders wrong = headers(JSON);
        wrong.key = "s3cret-kez";
        assertThat(problem(post("keyed", wrong, "{}"), 401).get("detail")).asString().contains("X-Webhook-Key");
        wrong.key = "s3cret-key-and-more";
        problem(post("keyed", wrong, "{}"), 401);
        assertThat(sink.offered()).isEmpty();

        WebhookHeaders right = headers(JSON);
        right.key = "s3cret-key";
        Response r = post("keyed", right, "{\"a\": 1}");
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(executionIds(r)).hasSize(1);
        assertThat(sink.offered()).singleElement().satisfies(e -> {
            assertThat(e.workflowIds()).containsExactly("wf-key");
            assertThat(e.data()).isEqualTo(Map.of("a", 1));
        });
    }

    @Test
    void duringARotationsGraceEveryAcceptedKeyAndSecretPassesAndOthersDoNot() throws Exception {
        // What TriggerSecrets answers while a rotation's grace lasts: the new value first, then the replaced one.
        TriggerSecrets duringGrace = new TriggerSecrets() {
            @Override
            public Optional<String> get(String orgId, String workflowId, String field) {
                return vault.get(orgId, workflowId, field);
            }

            @Override
            public List<String> accepted(String orgId, String workflowId, String field) {
                return field.equals(WorkflowSecrets.WEBHOOK_KEY) ? List.of("new-key", "s3cret-key")
                        : List.of("whsec_bmV3IHNlY3JldCBvZiAzMiBieXRlcyEhISEhISE=", StandardWebhooksTest.SECRET);
            }
        };
        resource = new WebhookReceiverResource(trigger, duringGrace, access, organizations, events, 1024 * 1024, 20,
                clock, securityLog::add);
        for (String key : List.of("new-key", "s3cret-key")) {
            WebhookHeaders h = headers(JSON);
            h.key = key;
            assertThat(post("keyed", h, "{}").getStatus()).as(key).isEqualTo(202);
        }
        WebhookHeaders wrong = headers(JSON);
        wrong.key = "older-key";
        problem(post("keyed", wrong, "{}"), 401);
        assertThat(post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY).getStatus())
                .as("signed with the replaced secret").isEqualTo(202);
    }

    @Test
    void keyAuthenticationWithoutAConfiguredKeyRefusesEveryone() throws Exception {
        vault.deleteAll("org-1", "wf-key");
        WebhookHeaders h = headers(JSON);
        h.key = "anything";
        problem(post("keyed", h, "{}"), 401);
        h.key = "";
        problem(post("keyed", h, "{}"), 401);
        assertThat(sink.offered()).isEmpty();
    }

    @Test
    void standardWebhooksSignatureIsVerifiedAndTheWorkflowScopedIdIsTheDedupeKey() {
        Response r = post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY);
        assertThat(r.getStatus()).isEqualTo(202);
        assertThat(executionIds(r)).hasSize(1);
        TriggerEvent e = sink.offered().get(0);
        assertThat(e.organizationId()).isEqualTo("org-2");
        assertThat(e.workflowIds()).containsExactly("wf-signed");
        assertThat(e.dedupeKey()).isEqualTo("wf-signed:" + StandardWebhooksTest.ID);
        assertThat(e.data()).isEqualTo(Map.of("test", 2432232314L));
    }

    @Test
    void aReplayedDeliveryIsAcknowledgedWithoutASecondExecution() {
        Response first = post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY);
        Response again = post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY);
        assertThat(again.getStatus()).isEqualTo(202);
        assertThat(executionIds(again)).isEqualTo(executionIds(first));
        assertThat(entity(again)).containsEntry("duplicate", true);
        assertThat(sink.offered()).extracting(TriggerEvent::dedupeKey)
                .containsExactly("wf-signed:" + StandardWebhooksTest.ID, "wf-signed:" + StandardWebhooksTest.ID);
    }

    @Test
    void aRotatedSecretStillMatchesOneOfTwoSignatures() {
        String other = StandardWebhooks.sign("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]),
                StandardWebhooksTest.ID, StandardWebhooksTest.TIMESTAMP, StandardWebhooksTest.BODY);
        Response r = post("signed", signed(other + " " + StandardWebhooksTest.SIGNATURE), SIGNED_BODY);
        assertThat(r.getStatus()).isEqualTo(202);
    }

    @Test
    void badSignaturesOldTimestampsAndMissingHeadersAre401() throws Exception {
        problem(post("signed", signed("v1,g1hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), SIGNED_BODY), 401);
        problem(post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY.replace("2", "3")), 401);
        WebhookHeaders old = signed(StandardWebhooksTest.SIGNATURE);
        resource = resource(1024 * 1024, 20, Clock.offset(clock, Duration.ofMinutes(6)));
        assertThat(problem(post("signed", old, SIGNED_BODY), 401).get("detail")).asString().contains("5 minutes");
        problem(post("signed", headers(JSON), SIGNED_BODY), 401);
        vault.deleteAll("org-2", "wf-signed");
        resource = resource(1024 * 1024, 20, clock);
        problem(post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY), 401);
        assertThat(sink.offered()).isEmpty();
    }

    private static WebhookHeaders withToken(WebhookHeaders h, String token) {
        h.authorization = token == null ? null : "Bearer " + token;
        return h;
    }

    private Response test(String path, WebhookHeaders headers, String body) {
        return resource.receive("webhook-test", path, headers,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> executions(Response r) {
        return (List<Map<String, Object>>) ((Map<?, ?>) r.getEntity()).get("executions");
    }

    @Test
    void theTestEndpointRunsForAMemberWithoutDedupeAndAnswersWithTheExecutions() {
        Response r = test("signed", withToken(headers(JSON), "tok-eve"), SIGNED_BODY);
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(executions(r)).singleElement().satisfies(x -> assertThat(x).containsEntry("status", "succeeded"));
        assertThat(sink.offered()).singleElement().satisfies(e -> {
            assertThat(e.dedupeKey()).isNull();
            assertThat(e.organizationId()).isEqualTo("org-2");
            assertThat(e.data()).isEqualTo(Map.of("test", 2432232314L));
        });
    }

    @Test
    void onTheTestEndpointAnyMemberMayTestAndNeedsNoWebhookKey() {
        assertThat(test("keyed", withToken(headers(JSON), "tok-bo"), "{}").getStatus()).as("a member").isEqualTo(200);
        assertThat(test("keyed", withToken(headers(JSON), "tok-ann"), "{}").getStatus()).as("the owner").isEqualTo(200);
        assertThat(sink.offered()).hasSize(2).allSatisfy(e -> assertThat(e.workflowIds()).containsExactly("wf-key"));
    }

    @Test
    void theTestEndpointRefusesCallersWithoutAValidTokenWhateverThePath() throws Exception {
        for (String path : List.of("keyed", "orders/new", "nothing")) {
            Response anonymous = test(path, headers(JSON), "{}");
            assertThat(problem(anonymous, 401).get("detail")).asString().contains("Authorization: Bearer");
            assertThat(anonymous.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"dooneflow\"");
            WebhookHeaders keyOnly = headers(JSON);
            keyOnly.key = "s3cret-key";
            problem(test(path, keyOnly, "{}"), 401);
            problem(test(path, withToken(headers(JSON), "tok-unknown"), "{}"), 401);
        }
        assertThat(sink.offered()).isEmpty();
    }

    @Test
    void theTestEndpointAnswers404ToTokensOfOtherOrganizationsAsToUnknownPaths() throws Exception {
        Map<String, Object> unknown = problem(test("nothing", withToken(headers(JSON), "tok-eve"), "{}"), 404);
        Map<String, Object> other = problem(test("keyed", withToken(headers(JSON), "tok-eve"), "{}"), 404);
        assertThat(other).isEqualTo(unknown);
        problem(test("keyed", withToken(headers(JSON), "tok-bo-org-2"), "{}"), 404);
        problem(test("signed", withToken(headers(JSON), "tok-ann"), SIGNED_BODY), 404);
        assertThat(sink.offered()).isEmpty();
    }

    // ---- failed authentication: counted, limited, logged, reported ----

    private Response postFrom(String address, String path, String key) {
        WebhookHeaders h = headers(JSON);
        h.clientAddress = address;
        h.key = key;
        return post(path, h, "{}");
    }

    @Test
    void wrongKeysOverTheLimitAre429WithRetryAfterWhileTheRightKeyPasses() throws Exception {
        RecordingAuditLog audited = new RecordingAuditLog();
        resource.audit = audited;
        for (int i = 0; i < 20; i++) {
            assertThat(postFrom("203.0.113.7", "keyed", "wrong-" + i).getStatus()).as("failure %d", i + 1)
                    .isEqualTo(401);
        }
        clock.advance(Duration.ofSeconds(10));
        Response limited = postFrom("203.0.113.7", "keyed", "wrong-20");
        assertThat(problem(limited, 429).get("type")).asString().endsWith("/too-many-failed-authentications");
        assertThat(limited.getHeaderString("Retry-After")).isEqualTo("50");
        assertThat(sink.offered()).isEmpty();
        // Each tripped limit once: the address's (installation-wide) and the path's (its organization's).
        assertThat(audited.recorded()).extracting(AuditEntry::organizationId, AuditEntry::objectType, AuditEntry::objectId,
                AuditEntry::action, AuditEntry::clientAddress).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(null, "webhook", null, "rate-limited", "203.0.113.7"),
                org.assertj.core.groups.Tuple.tuple("org-1", "workflow", "wf-key", "rate-limited", "203.0.113.7"));
        assertThat(audited.recorded()).allSatisfy(e -> assertThat(e.summary()).doesNotContain("wrong-"));

        Response right = postFrom("203.0.113.7", "keyed", "s3cret-key");
        assertThat(right.getStatus()).as("the right key is never refused").isEqualTo(202);
        assertThat(sink.offered()).hasSize(1);

        clock.advance(Duration.ofSeconds(50));
        assertThat(postFrom("203.0.113.7", "keyed", "wrong-21").getStatus()).as("a new minute").isEqualTo(401);
    }

    @Test
    void addressesAreCountedApartAndOnePathFromManyAddressesIsLimitedToo() {
        for (int i = 0; i < 11; i++) {
            postFrom("203.0.113.7", "keyed", "wrong");
            post("signed", from("203.0.113.7", signed("v1,AAAA")), SIGNED_BODY);
        }
        assertThat(postFrom("203.0.113.7", "orders/new", null).getStatus()).as("an open path").isEqualTo(202);
        assertThat(post("signed", from("203.0.113.7", signed("v1,AAAA")), SIGNED_BODY).getStatus())
                .as("22 from this address over two paths").isEqualTo(429);
        assertThat(post("signed", from("198.51.100.9", signed("v1,AAAA")), SIGNED_BODY).getStatus())
                .as("12 on this path, another address").isEqualTo(401);

        for (int i = 0; i < 9; i++) {
            assertThat(postFrom("10.0.0." + i, "keyed", "wrong").getStatus()).isEqualTo(401);
        }
        assertThat(postFrom("10.0.1.1", "keyed", "wrong").getStatus()).as("the 21st on this path").isEqualTo(429);
        assertThat(postFrom("10.0.1.1", "keyed", "s3cret-key").getStatus()).isEqualTo(202);
        assertThat(post("signed", from("10.0.1.1", signed("v1,AAAA")), SIGNED_BODY).getStatus()).isEqualTo(401);
    }

    private static WebhookHeaders from(String address, WebhookHeaders h) {
        h.clientAddress = address;
        return h;
    }

    @Test
    void requestsWithoutACredentialAreNotCounted() {
        for (int i = 0; i < 50; i++) {
            assertThat(postFrom("203.0.113.7", "keyed", null).getStatus()).isEqualTo(401);
            assertThat(post("signed", from("203.0.113.7", headers(JSON)), SIGNED_BODY).getStatus()).isEqualTo(401);
            assertThat(test("keyed", from("203.0.113.7", headers(JSON)), "{}").getStatus()).isEqualTo(401);
        }
        assertThat(postFrom("203.0.113.7", "keyed", "wrong").getStatus()).isEqualTo(401);
        assertThat(securityLog).hasSize(1);
    }

    @Test
    void wrongTokensOnTheTestEndpointCountAndAMembersTokenStillPasses() {
        for (int i = 0; i < 20; i++) {
            assertThat(test("keyed", from("203.0.113.7", withToken(headers(JSON), "tok-guess-" + i)), "{}")
                    .getStatus()).isEqualTo(401);
        }
        Response limited = test("keyed", from("203.0.113.7", withToken(headers(JSON), "tok-guess")), "{}");
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeaderString("Retry-After")).isEqualTo("60");
        assertThat(test("keyed", from("203.0.113.7", withToken(headers(JSON), "tok-bo")), "{}").getStatus())
                .isEqualTo(200);
    }

    @Test
    void aPathWhoseLimitTripsIsReportedToItsOrganizationOncePerMinute() {
        for (int i = 0; i < 40; i++) {
            postFrom("10.0.0." + i, "keyed", "wrong-key-" + i);
        }
        assertThat(events.recorded()).singleElement().satisfies(e -> {
            assertThat(e.organizationId()).isEqualTo("org-1");
            assertThat(e.level()).isEqualTo(Event.Level.WARN);
            assertThat(e.source()).isEqualTo("webhook");
            assertThat(e.message()).contains("'keyed'", "21 wrong", "10.0.0.20", "429");
            assertThat(e.details()).containsEntry("workflowId", "wf-key").containsEntry("path", "keyed")
                    .containsEntry("failures", 21);
        });
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 21; i++) {
            postFrom("10.0.0." + i, "keyed", "wrong");
        }
        assertThat(events.recorded()).hasSize(2);
        assertThat(events.recorded()).noneMatch(e -> e.message().contains("wrong-key") || e.message().contains("s3cret"));
    }

    @Test
    void anAddressSpreadOverPathsIsLimitedButReportedToNoOrganization() {
        for (int i = 0; i < 11; i++) {
            postFrom("203.0.113.7", "keyed", "wrong");
            post("signed", from("203.0.113.7", signed("v1,AAAA")), SIGNED_BODY);
        }
        assertThat(postFrom("203.0.113.7", "keyed", "wrong").getStatus()).isEqualTo(429);
        assertThat(events.recorded()).as("no path had more than 12 failures").isEmpty();
        assertThat(securityLog).anyMatch(line -> line.startsWith("Too many failed webhook authentications from "
                + "203.0.113.7: 21 in a minute"));
    }

    @Test
    void failuresAreLoggedOncePerAddressAndMinuteWithoutTheSecret() {
        for (int i = 0; i < 30; i++) {
            postFrom("203.0.113.7", "keyed", "guessed-key-" + i);
            test("keyed", from("203.0.113.7", withToken(headers(JSON), "dft_GuessedTokenSecret" + i)), "{}");
        }
        postFrom("198.51.100.9", "keyed", "guessed-key-x");
        assertThat(securityLog).hasSize(4);
        assertThat(securityLog.get(0)).isEqualTo("Failed webhook authentication from 203.0.113.7 on /webhook/keyed; "
                + "further failures from this address are not logged one by one this minute");
        assertThat(securityLog.get(1)).startsWith("Too many failed webhook authentications from 203.0.113.7: 21 in");
        assertThat(securityLog.get(2)).startsWith("Too many failed webhook authentications on /webhook/keyed: 21");
        assertThat(securityLog.get(3)).startsWith("Failed webhook authentication from 198.51.100.9 on /webhook/keyed");
        assertThat(securityLog).noneMatch(line -> line.contains("guessed") || line.contains("Guessed")
                || line.contains("s3cret"));
    }

    @Test
    void aLimitOfZeroNeverAnswers429() {
        resource = resource(1024 * 1024, 0, clock);
        for (int i = 0; i < 100; i++) {
            assertThat(postFrom("203.0.113.7", "keyed", "wrong").getStatus()).isEqualTo(401);
        }
        assertThat(events.recorded()).isEmpty();
        assertThat(securityLog).hasSize(1);
    }

    @Test
    void aSprayOfAddressesKeepsTheCountersBounded() {
        for (int i = 0; i < WebhookReceiverResource.MAX_KEYS + 5_000; i++) {
            postFrom("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff), "keyed", "wrong");
        }
        assertThat(resource.byAddress.size()).isEqualTo(WebhookReceiverResource.MAX_KEYS);
        assertThat(resource.byPath.size()).isEqualTo(1);
        assertThat(postFrom("10.9.9.9", "keyed", "s3cret-key").getStatus()).isEqualTo(202);
    }
}
