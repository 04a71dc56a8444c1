package com.dooneflow.connector.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.testing.InMemorySecretVault;
import com.dooneflow.testing.RecordingTriggerSink;
import com.fasterxml.jackson.core.type.TypeReference;

/** The receiver as a plain object, with the real routing and a fake sink and vault. */
class WebhookReceiverResourceTest {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String SIGNED_BODY = new String(StandardWebhooksTest.BODY, StandardCharsets.UTF_8);

    private final RecordingTriggerSink sink = new RecordingTriggerSink();
    private final InMemorySecretVault vault = new InMemorySecretVault();
    private final WebhookTrigger trigger = new WebhookTrigger();
    private final Clock clock = Clock.fixed(StandardWebhooksTest.THEN, ZoneOffset.UTC);
    private WebhookReceiverResource resource = new WebhookReceiverResource(trigger, vault, 1024 * 1024, clock);

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
        assertThat(sink.offered()).extracting(TriggerEvent::data).containsExactly(
                Map.of("body", List.of(1, 2)), Map.of("body", "hi"), Map.of("body", 7), Map.of());
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
        resource = new WebhookReceiverResource(trigger, vault, 16, clock);
        assertThat(post("orders/new", headers(JSON), "{\"a\":\"1234567\"}").getStatus()).isEqualTo(202); // 15 bytes
        assertThat(post("orders/new", headers(JSON), "{\"a\":\"12345678\"}").getStatus()).isEqualTo(202); // 16
        problem(post("orders/new", headers(JSON), "{\"a\":\"123456789\"}"), 413);
        problem(post("orders/new", headers(JSON), "x".repeat(100_000)), 413);
        assertThat(sink.offered()).hasSize(2);
    }

    @Test
    void bodiesOverAJsonLimitAre400NamingTheLimitAndReachNoWorkflow() throws Exception {
        resource = new WebhookReceiverResource(trigger, vault, new BodyLimits(1024, 4, 10, 5, 3), clock);
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
    void aTestRunWhoseStateCannotBeReadIsStill200ForItWasAccepted() {
        RecordingTriggerSink unreadable = new RecordingTriggerSink() {
            @Override
            public Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout) {
                throw new IllegalStateException("database error: connection refused");
            }
        };
        unreadable.bindingList().addAll(sink.bindingList());
        trigger.open(unreadable);
        Response r = resource.receive("webhook-test", "orders/new", headers(JSON),
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
        resource = new WebhookReceiverResource(trigger, vault, 1024 * 1024,
                Clock.offset(clock, java.time.Duration.ofMinutes(6)));
        assertThat(problem(post("signed", old, SIGNED_BODY), 401).get("detail")).asString().contains("5 minutes");
        problem(post("signed", headers(JSON), SIGNED_BODY), 401);
        vault.deleteAll("org-2", "wf-signed");
        resource = new WebhookReceiverResource(trigger, vault, 1024 * 1024, clock);
        problem(post("signed", signed(StandardWebhooksTest.SIGNATURE), SIGNED_BODY), 401);
        assertThat(sink.offered()).isEmpty();
    }

    @Test
    void theTestEndpointRunsWithoutDedupeAndAnswersWithTheExecutions() throws Exception {
        Response r = resource.receive("webhook-test", "signed", signed(StandardWebhooksTest.SIGNATURE),
                new ByteArrayInputStream(StandardWebhooksTest.BODY));
        assertThat(r.getStatus()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> executions = (List<Map<String, Object>>) ((Map<?, ?>) r.getEntity()).get("executions");
        assertThat(executions).singleElement().satisfies(x -> assertThat(x).containsEntry("status", "succeeded"));
        assertThat(sink.offered()).singleElement().satisfies(e -> assertThat(e.dedupeKey()).isNull());

        problem(resource.receive("webhook-test", "keyed", headers(JSON), new ByteArrayInputStream(new byte[0])), 401);
        problem(resource.receive("webhook-test", "nothing", headers(JSON), new ByteArrayInputStream(new byte[0])), 404);
    }
}
