package com.dooneflow.connector.salesforce.internal;

import static com.dooneflow.connector.salesforce.internal.Fakes.params;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.dooneflow.api.Event;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.testing.StepContext;

/** {@code salesforce.record.write} against the stateful fake: each operation, token refresh, and each error class. */
class WriteRecordActionTest {

    /** The guide's example payload, as the engine hands it over: templates already rendered into JSON values. */
    private static final Map<String, Object> LEAD = Map.of("FirstName", "Ann \"Quote\" Lee", "Phone", "+15551234567",
            "Email", "ann@example.com", "LeadSource", "Webhook", "LastName", "Lee", "Company", "Acme");

    private final SalesforceFake fake = SalesforceFake.start();
    private final Rig rig = new Rig(Duration.ofSeconds(2));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void meter() {
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void close() throws Exception {
        Metrics.removeRegistry(meters);
        rig.close();
        fake.close();
    }

    /** Token refreshes of the organization that ended in {@code outcome}. */
    private double refreshes(String outcome) {
        return meters.get("dooneflow.salesforce.token.refreshes").tags("organization", Fakes.ORG, "outcome", outcome)
                .counter().count();
    }

    private ActionResult run(Object... pairs) {
        return rig.action.execute(StepContext.of(Fakes.ORG, params(pairs)));
    }

    private ActionResult createLead(String connection) {
        return run("connection", connection, "object", "Lead", "operation", "create", "payload", LEAD);
    }

    @Test
    void describesItsParametersWithAJsonTemplatePayload() {
        assertThat(TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE).type()).isEqualTo("salesforce.record.write");
        assertThat(TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE).parameters()).extracting(ParameterDescriptor::name).containsExactly(
                "connection", "endpointType", "object", "operation", "recordId", "externalIdField", "externalId",
                "payload");
        ParameterDescriptor payload = TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE).parameters().get(7);
        assertThat(payload.type()).isEqualTo(ParameterType.JSON);
        assertThat(payload.templatable()).isTrue();
        TypeFiles.checkBinding(TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE),
                WriteRecordAction.Params.class);
    }

    @Test
    void createsARecordWithTheRenderedPayload() throws Exception {
        rig.connected("Production", "production", fake);
        ActionResult result = createLead("Production");

        Map<String, Object> out = ok(result);
        String id = out.get("recordId").toString();
        assertThat(id).hasSize(18).startsWith("00Q");
        assertThat(out).containsEntry("created", true).containsEntry("updated", false).containsKey("apiUsage");
        // Later steps may use exactly what the descriptor declares.
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE).outputs().stream()
                .map(OutputDescriptor::name).toList());
        assertThat(out.get("response")).isEqualTo(Map.of("id", id, "success", true, "errors", List.of()));
        SalesforceFake.Recorded request = fake.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/services/data/v60.0/sobjects/Lead/");
        assertThat(Json.MAPPER.readValue(request.body(), Map.class)).isEqualTo(LEAD);
        assertThat(fake.records().get(id)).containsEntry("FirstName", "Ann \"Quote\" Lee");
    }

    @Test
    void updatesARecordById() throws Exception {
        rig.connected("Production", "production", fake);
        String id = ok(createLead("Production")).get("recordId").toString();

        Map<String, Object> out = ok(run("connection", "Production", "object", "Lead", "operation", "update",
                "recordId", id, "payload", Map.of("Phone", "+15550000000")));
        assertThat(out).containsEntry("recordId", id).containsEntry("created", false).containsEntry("updated", true);
        assertThat(fake.requests().get(1).method()).isEqualTo("PATCH");
        assertThat(fake.requests().get(1).path()).isEqualTo("/services/data/v60.0/sobjects/Lead/" + id);
        assertThat(fake.records().get(id)).containsEntry("Phone", "+15550000000").containsEntry("Email", "ann@example.com");
    }

    @Test
    void upsertsByExternalIdCreatingThenUpdating() throws Exception {
        rig.connected("Production", "production", fake);
        Object[] upsert = {"connection", "Production", "object", "Lead", "operation", "upsert",
                "externalIdField", "External_Id__c", "externalId", "ext 42/a", "payload", LEAD};

        Map<String, Object> first = ok(run(upsert));
        Map<String, Object> second = ok(run(upsert));
        assertThat(first).containsEntry("created", true);
        assertThat(second).containsEntry("created", false).containsEntry("recordId", first.get("recordId"));
        assertThat(fake.requests().get(0).path())
                .isEqualTo("/services/data/v60.0/sobjects/Lead/External_Id__c/ext%2042%2Fa");
        assertThat(fake.records()).hasSize(1);
    }

    @Test
    void callsAnApexRestEndpointWithThePayload() throws Exception {
        rig.connected("Production", "production", fake);
        Map<String, Object> out = ok(run("connection", "Production", "endpointType", "apex", "object", "LeadIntake/v1",
                "operation", "create", "payload", Map.of("lead", LEAD)));
        assertThat(fake.requests().get(0).path()).isEqualTo("/services/apexrest/LeadIntake/v1");
        @SuppressWarnings("unchecked")
        Map<String, Object> response = (Map<String, Object>) out.get("response");
        assertThat(response).containsEntry("method", "POST").containsEntry("received", Map.of("lead", LEAD));
    }

    @Test
    void anExpiredSessionIsRefreshedAndTheCallRetriedOnce() throws Exception {
        String id = rig.connected("Production", "production", fake);
        String before = rig.store.secret(id, "accessToken").orElseThrow();
        fake.expireAccessTokens();

        ok(createLead("Production"));

        assertThat(fake.refreshes()).isEqualTo(1);
        String after = rig.store.secret(id, "accessToken").orElseThrow();
        assertThat(after).isNotEqualTo(before);
        assertThat(fake.requests()).extracting(SalesforceFake.Recorded::authorization)
                .containsExactly("Bearer " + before, "Bearer " + after);
        assertThat(refreshes("ok")).isEqualTo(1.0);
    }

    @Test
    void concurrentRefreshesUnderRotationRefreshOnceAndLeaveAWorkingToken() throws Exception {
        String id = rig.connected("Production", "production", fake);
        fake.rotateRefreshTokens(true);
        fake.refreshDelay(Duration.ofMillis(200));
        fake.expireAccessTokens();

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ActionResult>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> createLead("Production"));
            }
            for (Future<ActionResult> f : pool.invokeAll(calls)) {
                assertThat(f.get()).isInstanceOf(ActionResult.Ok.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fake.refreshes()).isEqualTo(1);
        // The stored refresh token is the rotated one, still valid: the next expiry is survived too.
        assertThat(fake.isValidRefreshToken(rig.store.secret(id, "refreshToken").orElseThrow())).isTrue();
        fake.expireAccessTokens();
        ok(createLead("Production"));
        assertThat(fake.refreshes()).isEqualTo(2);
        assertThat(fake.records()).hasSize(9);
    }

    @Test
    void aRevokedRefreshTokenMarksTheConnectionForReconnectAndTellsTheUserOnce() throws Exception {
        String id = rig.connected("Production", "production", fake);
        fake.expireAccessTokens();
        fake.revokeRefreshTokens();

        ActionResult result = createLead("Production");
        assertThat(result).isInstanceOfSatisfying(ActionResult.Fail.class, f -> assertThat(f.reason())
                .contains("needs to be reconnected").contains("invalid_grant").contains("Reconnect"));
        assertThat(rig.connections.get(Fakes.OWNER, Fakes.ORG, id)).containsEntry("status", "needs_reconnect");
        assertThat(rig.events.recorded()).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(Event.Level.ERROR);
            assertThat(e.message()).contains("'Production'").contains("Integrations → Salesforce → Reconnect");
        });
        assertThat(rig.store.secret(id, "refreshToken")).isEmpty();
        assertThat(refreshes("needs_reconnect")).isEqualTo(1.0);
        assertThat(meters.find("dooneflow.salesforce.token.refreshes").tag("outcome", "ok").counters())
                .allSatisfy(c -> assertThat(c.count()).isZero());

        // Later runs fail at once, without asking Salesforce again or logging the same event again.
        assertThat(createLead("Production")).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).contains("needs to be reconnected"));
        assertThat(fake.refreshes()).isEqualTo(1);
        assertThat(rig.events.recorded()).hasSize(1);

        // Reconnecting brings it back.
        assertThat(rig.connect(id, fake).status()).isEqualTo(200);
        ok(createLead("Production"));
    }

    @Test
    void aWrongClientSecretFailsTheStepSayingWhatToFixAndTellsTheUserOnce() throws Exception {
        String id = rig.connected("Production", "production", fake);
        // The Consumer Secret was regenerated in Salesforce and DooneFlow still has the old one.
        rig.connections.update(Fakes.OWNER, Fakes.ORG, id, new ConnectionBody(null, null, null, null, "stale-secret",
                null));
        fake.expireAccessTokens();

        ActionResult result = createLead("Production");
        String reason = reason(result);
        assertThat(reason).contains("Salesforce refused to refresh the token of connection 'Production'")
                .contains("invalid_client: invalid client credentials")
                .contains("Check the connection's Client ID and Client Secret").contains("Integrations → Salesforce")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(rig.events.recorded()).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(Event.Level.ERROR);
            assertThat(e.source()).isEqualTo("salesforce");
            assertThat(e.message()).isEqualTo(reason);
            assertThat(e.details()).containsEntry("connectionId", id).containsEntry("connection", "Production");
        });
        assertThat(rig.journal.all()).singleElement().satisfies(n -> assertThat(n.value())
                .containsEntry("state", "rejected").containsEntry("reason", reason));
        // Still connected: the authorization is fine, the app's credentials are not.
        assertThat(rig.connections.get(Fakes.OWNER, Fakes.ORG, id)).containsEntry("status", "connected");

        // The next run fails the same way without a second event.
        assertThat(reason(createLead("Production"))).isEqualTo(reason);
        assertThat(rig.events.recorded()).hasSize(1);

        // Fixing the secret is all it takes.
        rig.connections.update(Fakes.OWNER, Fakes.ORG, id, new ConnectionBody(null, null, null, null,
                SalesforceFake.CLIENT_SECRET, null));
        ok(createLead("Production"));
        assertThat(fake.records()).hasSize(1);
    }

    @Test
    void otherRefreshRefusalsNameTheirFixAndALoginRateLimitIsRetried() throws Exception {
        rig.connected("Production", "production", fake);
        fake.expireAccessTokens();
        fake.refuseNextTokenRequest("inactive_user", "user is inactive");
        assertThat(reason(createLead("Production"))).contains("inactive_user: user is inactive")
                .contains("not active");
        assertThat(rig.events.recorded()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("inactive_user"));

        fake.refuseNextTokenRequest("rate_limit_exceeded", "too many logins");
        assertThat(createLead("Production")).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.reason()).contains("rate_limit_exceeded"));
        assertThat(rig.events.recorded()).hasSize(1);
        ok(createLead("Production"));
    }

    @ParameterizedTest
    @CsvSource({
            "403, REQUEST_LIMIT_EXCEEDED, TotalRequests Limit exceeded.",
            "400, UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record",
            "503, SERVER_UNAVAILABLE, Server is unavailable",
            "500, UNKNOWN_EXCEPTION, An unexpected error occurred"})
    void busyAnswersAreRetried(int status, String code, String message) throws Exception {
        rig.connected("Production", "production", fake);
        fake.failNext(status, code, message);
        ActionResult result = createLead("Production");
        assertThat(result).isInstanceOfSatisfying(ActionResult.Retry.class, r -> {
            assertThat(r.reason()).contains(code).contains(message);
            assertThat(r.details()).containsEntry("status", status);
        });
        // The engine's next attempt goes through.
        ok(createLead("Production"));
    }

    @Test
    void salesforcesRetryAfterIsHonoured() throws Exception {
        rig.connected("Production", "production", fake);
        fake.failNextRetryAfter(503, "SERVER_UNAVAILABLE", "Server is unavailable", "45");
        assertThat(createLead("Production")).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(45)));

        fake.failNext(503, "SERVER_UNAVAILABLE", "Server is unavailable");
        assertThat(createLead("Production")).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.after()).as("no Retry-After: the engine's own backoff").isNull());
    }

    @ParameterizedTest
    @CsvSource({
            "400, FIELD_CUSTOM_VALIDATION_EXCEPTION, Phone must be in E.164, Phone",
            "400, REQUIRED_FIELD_MISSING, Required fields are missing: [LastName], LastName",
            "400, INVALID_FIELD, No such column 'Fax__c' on sobject of type Lead, Fax__c",
            "404, ENTITY_IS_DELETED, entity is deleted, ''",
            "404, NOT_FOUND, The requested resource does not exist, ''"})
    void dataErrorsFailPermanentlyWithSalesforcesMessageAndFields(int status, String code, String message,
                                                                   String field) throws Exception {
        rig.connected("Production", "production", fake);
        if (field.isEmpty()) {
            fake.failNext(status, code, message);
        } else {
            fake.failNext(status, code, message, field);
        }
        ActionResult result = createLead("Production");
        assertThat(result).isInstanceOfSatisfying(ActionResult.Fail.class, f -> {
            assertThat(f.reason()).contains(code).contains(message);
            if (!field.isEmpty()) {
                assertThat(f.reason()).contains("fields: " + field);
            }
            assertThat(f.details()).containsEntry("status", status);
            assertThat(f.details().get("errors")).isEqualTo(List.of(Map.of("errorCode", code, "message", message,
                    "fields", field.isEmpty() ? List.of() : List.of(field))));
        });
    }

    @Test
    void anUpdateOfAMissingRecordFailsWithNotFound() throws Exception {
        rig.connected("Production", "production", fake);
        ActionResult result = run("connection", "Production", "object", "Lead", "operation", "update",
                "recordId", "00Q000000000000AAA", "payload", Map.of("Phone", "1"));
        assertThat(result).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).contains("NOT_FOUND"));
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        rig.connected("Production", "production", fake);
        fake.delayNext(Duration.ofSeconds(4)); // longer than the rig's 2 s HTTP timeout
        ActionResult result = createLead("Production");
        assertThat(result).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.reason()).contains("could not be reached").contains("timed out"));
    }

    @Test
    void twoConnectionsInOneOrganizationReachTheirOwnOrgs() throws Exception {
        try (SalesforceFake sandbox = SalesforceFake.start()) {
            rig.connected("Production", "production", fake);
            rig.connected("Sandbox", "sandbox", sandbox);

            String prodId = ok(createLead("Production")).get("recordId").toString();
            String sandboxId = ok(createLead("Sandbox")).get("recordId").toString();

            assertThat(fake.records()).containsOnlyKeys(prodId);
            assertThat(sandbox.records()).containsOnlyKeys(sandboxId);
            assertThat(Fakes.names(rig.list(Fakes.OWNER)))
                    .containsExactlyInAnyOrder("Production", "Sandbox");
            // Expiring one org's sessions refreshes only that connection.
            sandbox.expireAccessTokens();
            ok(createLead("Sandbox"));
            ok(createLead("Production"));
            assertThat(sandbox.refreshes()).isEqualTo(1);
            assertThat(fake.refreshes()).isZero();
        }
    }

    @Test
    void aMissingOrUnconnectedConnectionFailsSayingWhatToDo() {
        assertThat(createLead("Nope")).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).contains("no Salesforce connection named 'Nope'"));
        rig.create("Fresh", "production", fake);
        assertThat(createLead("Fresh")).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).contains("it is not connected").contains("Reconnect"));
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void invalidParametersFailNamingTheParameter() throws Exception {
        rig.connected("Production", "production", fake);
        assertThat(reason(run("connection", "Production", "object", "Lead; DROP", "payload", LEAD))).contains("object");
        assertThat(reason(run("connection", "Production", "object", "Lead", "operation", "update", "payload", LEAD)))
                .contains("recordId");
        assertThat(reason(run("connection", "Production", "object", "Lead", "operation", "upsert", "payload", LEAD)))
                .contains("externalIdField");
        assertThat(reason(run("connection", "Production", "object", "Lead", "operation", "delete", "payload", LEAD)))
                .contains("operation");
        assertThat(reason(run("connection", "Production", "object", "Lead", "payload", List.of(1))))
                .contains("payload");
        assertThat(reason(run("connection", "Production", "endpointType", "apex", "object", "../../x")))
                .contains("Apex REST path");
        assertThat(reason(run("object", "Lead", "payload", LEAD))).contains("connection");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anExternalIdThatWouldNameAnotherPathIsRefused() throws Exception {
        rig.connected("Production", "production", fake);
        for (String dots : List.of(".", "..")) {
            assertThat(reason(run("connection", "Production", "object", "Lead", "operation", "upsert",
                    "externalIdField", "Email__c", "externalId", dots, "payload", LEAD)))
                    .isEqualTo("externalId cannot be '.' or '..'");
        }
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void theWriteIsJournalledAndARepeatOfAFinishedStepDoesNotWriteAgain() throws Exception {
        rig.connected("Production", "production", fake);
        Map<String, Object> params = params("connection", "Production", "object", "Lead", "payload", LEAD);
        Map<String, Object> first = ok(rig.action.execute(StepContext.of(Fakes.ORG, params, "exec-crashed")));
        Map<String, Object> note = rig.journal.get("exec-crashed", 0, WriteRecordAction.WRITE_NOTE).orElseThrow();
        assertThat(note).containsEntry("state", "done").containsEntry("outputs", first)
                .containsEntry("path", "/services/data/v60.0/sobjects/Lead/");

        // The node died before the engine recorded the step: the next attempt answers from the journal.
        Map<String, Object> again = ok(rig.action.execute(StepContext.of(Fakes.ORG, params, "exec-crashed")));
        assertThat(again).isEqualTo(first);
        assertThat(fake.records()).hasSize(1);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void anInterruptedCreateIsNotSentAgainButAnInterruptedUpsertIs() throws Exception {
        rig.connected("Production", "production", fake);
        Map<String, Object> sending = Map.of("state", "sending", "startedAt", "2026-03-01T09:59:00Z");
        rig.journal.put("exec-create", 0, WriteRecordAction.WRITE_NOTE, sending);
        rig.journal.put("exec-upsert", 0, WriteRecordAction.WRITE_NOTE, sending);

        ActionResult create = rig.action.execute(StepContext.of(Fakes.ORG,
                params("connection", "Production", "object", "Lead", "payload", LEAD), "exec-create"));
        assertThat(reason(create)).contains("outcome unknown").contains("2026-03-01T09:59:00Z");
        assertThat(fake.requests()).isEmpty();

        ok(rig.action.execute(StepContext.of(Fakes.ORG, params("connection", "Production", "object", "Lead",
                "operation", "upsert", "externalIdField", "Ext__c", "externalId", "1", "payload", LEAD), "exec-upsert")));
        assertThat(fake.records()).hasSize(1);
    }

    @Test
    void aRetriedAttemptIsNotedAndTheNextAttemptWrites() throws Exception {
        rig.connected("Production", "production", fake);
        fake.failNext(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        Map<String, Object> params = params("connection", "Production", "object", "Lead", "payload", LEAD);
        assertThat(rig.action.execute(StepContext.of(Fakes.ORG, params, "exec-busy")))
                .isInstanceOf(ActionResult.Retry.class);
        assertThat(rig.journal.get("exec-busy", 0, WriteRecordAction.WRITE_NOTE).orElseThrow())
                .containsEntry("state", "retrying");
        ok(rig.action.execute(StepContext.of(Fakes.ORG, params, "exec-busy")));
        assertThat(fake.records()).hasSize(1);
    }

    private static String reason(ActionResult result) {
        assertThat(result).isInstanceOf(ActionResult.Fail.class);
        return ((ActionResult.Fail) result).reason();
    }

    private static Map<String, Object> ok(ActionResult result) {
        assertThat(result).isInstanceOf(ActionResult.Ok.class);
        return ((ActionResult.Ok) result).outputs();
    }
}
