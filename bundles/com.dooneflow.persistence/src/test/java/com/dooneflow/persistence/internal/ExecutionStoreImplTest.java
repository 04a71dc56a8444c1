package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.WEBHOOK;
import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.uniqueTriggerType;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;

import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.Page;
import com.dooneflow.api.spi.TriggerSink.Acceptance;
import com.dooneflow.api.store.AttemptRow;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.StepRow;
import com.dooneflow.api.store.WorkflowRow;

class ExecutionStoreImplTest extends DatabaseTestBase {

    private static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DATA = "{\"body\":{\"n\":1}}";

    /** One store per database for the class; its intake committer threads stop in {@link #closeStores()}. */
    private final Map<DbKind, ExecutionStoreImpl> stores = new EnumMap<>(DbKind.class);

    @AfterAll
    void closeStores() {
        // Runs before DatabaseTestBase drops the databases (a subclass's @AfterAll comes first).
        stores.values().forEach(ExecutionStoreImpl::close);
        stores.clear();
    }

    /** The claim takes due executions of every organization, so each test starts from empty execution tables. */
    private ExecutionStoreImpl fresh(DbKind kind) {
        on(kind).wipe("df_execution_step", "df_execution", "df_trigger_event");
        return stores.computeIfAbsent(kind, k -> new ExecutionStoreImpl(db(k)));
    }

    private WorkflowRow enabledWorkflow(DbKind kind, String org) {
        return new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
    }

    private WorkflowRow insert(DbKind kind, WorkflowRow row) {
        return new WorkflowStoreImpl(db(kind)).insert(row);
    }

    private Map<String, Object> executionRow(DbKind kind, String id) {
        return on(kind).queryRow("select * from df_execution where id = ?", id);
    }

    private long executionsOf(DbKind kind, String org) {
        return on(kind).count("select count(*) from df_execution where org_id = ?", org);
    }

    private long eventsOf(DbKind kind, String org) {
        return on(kind).count("select count(*) from df_trigger_event where org_id = ?", org);
    }

    /** A timestamp column read with plain JDBC: UTC wall time, as the stores write it. */
    private static Instant utc(Object timestamp) {
        return ((Timestamp) timestamp).toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    /** Claims until the execution's lease has run out and it is taken over (no sleeping: each try is a query). */
    private static Claim claimOnceExpired(ExecutionStoreImpl store, String node, String executionId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Claim> claims = store.claim(node, 10, LEASE);
            if (!claims.isEmpty()) {
                assertThat(claims).extracting(c -> c.execution().id()).containsExactly(executionId);
                return claims.get(0);
            }
            Thread.onSpinWait();
        }
        return fail("the expired lease of " + executionId + " was never reclaimed");
    }

    // ---------------------------------------------------------------- intake

    @OnBothDatabases
    void intakeQueuesOneExecutionPerEnabledWorkflowOfTheOrganizationAndType(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        String otherOrg = newOrganization(on(kind));
        WorkflowRow a = insert(kind, workflow(org, true, BASE));
        WorkflowRow b = insert(kind, workflow(org, true, BASE.plusSeconds(1)));
        insert(kind, workflow(org, false, BASE.plusSeconds(2)));
        insert(kind, workflow(org, true, uniqueTriggerType(), BASE));
        insert(kind, workflow(otherOrg, true, BASE));

        Acceptance accepted = store.intake(org, WEBHOOK, List.of(), null, DATA);

        assertThat(accepted.duplicate()).isFalse();
        assertThat(accepted.executionIds()).hasSize(2).doesNotHaveDuplicates();
        List<ExecutionRow> rows = accepted.executionIds().stream().map(id -> store.get(org, id).orElseThrow()).toList();
        assertThat(rows).extracting(ExecutionRow::workflowId).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.organizationId()).isEqualTo(org);
            assertThat(r.status()).isEqualTo("queued");
            assertThat(r.workflowVersion()).isEqualTo(1);
            assertThat(r.triggerType()).isEqualTo(WEBHOOK);
            assertThat(r.triggerData()).isEqualTo(DATA);
            assertThat(r.currentStep()).isZero();
            assertThat(r.variables()).isNull();
            assertThat(r.waitingFor()).isNull();
            assertThat(r.error()).isNull();
            assertThat(r.startedAt()).isNull();
            assertThat(r.finishedAt()).isNull();
            assertThat(r.nextAttemptAt()).isEqualTo(r.createdAt()).isBeforeOrEqualTo(now());
        });
        assertThat(executionsOf(kind, org)).isEqualTo(2);
        assertThat(executionsOf(kind, otherOrg)).isZero();
        assertThat(eventsOf(kind, org)).isEqualTo(1);

        Acceptance again = store.intake(org, WEBHOOK, null, null, DATA);
        assertThat(again.duplicate()).isFalse();
        assertThat(again.executionIds()).hasSize(2).doesNotContainAnyElementsOf(accepted.executionIds());
    }

    @OnBothDatabases
    void testRunsAreMarkedAndTheListFiltersThem(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);

        String real = only(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());
        String test = only(store.intake(org, WEBHOOK, List.of(), null, DATA, true).executionIds());

        assertThat(store.get(org, real).orElseThrow().test()).isFalse();
        assertThat(store.get(org, test).orElseThrow().test()).isTrue();
        assertThat(store.list(org, new ExecutionFilter(null, null, null, null, null, true), 10, null).items())
                .extracting(ExecutionRow::id).containsExactly(test);
        assertThat(store.list(org, new ExecutionFilter(null, null, null, null, null, false), 10, null).items())
                .extracting(ExecutionRow::id).containsExactly(real);
        assertThat(store.list(org, ExecutionFilter.ALL, 10, null).items()).extracting(ExecutionRow::id)
                .containsExactlyInAnyOrder(real, test);
    }

    @OnBothDatabases
    void everyAttemptAtAStepIsRecordedWithItsTimesAndOutcome(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        String id = only(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());

        Instant before = Instant.now().minusMillis(5);
        Claim first = only(store.claim("node-a", 10, LEASE));
        assertThat(store.stepRetry(first, 0, "log", "{}", "receiver answered 503", Instant.now().minusSeconds(1)))
                .isTrue();
        Claim second = only(store.claim("node-a", 10, LEASE));
        assertThat(store.attemptLost(second, 0, "log", "never reported back")).isTrue();
        assertThat(store.lastStepSucceeded(second, 0, "log", "{}", "{}", "{}")).isTrue();

        List<AttemptRow> attempts = store.attempts(id);
        assertThat(attempts).extracting(AttemptRow::number, AttemptRow::outcome, AttemptRow::error).containsExactly(
                tuple(1, "retrying", "receiver answered 503"),
                tuple(2, "lost", "never reported back"),
                tuple(3, "succeeded", null));
        assertThat(attempts.get(0).startedAt()).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .isBeforeOrEqualTo(attempts.get(0).finishedAt());
        assertThat(attempts.get(1).startedAt()).as("unknown for a lost attempt").isNull();
        assertThat(attempts.get(2).startedAt()).isAfterOrEqualTo(attempts.get(1).finishedAt())
                .isBeforeOrEqualTo(attempts.get(2).finishedAt());
        assertThat(store.attempts(newId())).isEmpty();
    }

    @OnBothDatabases
    void listedWorkflowIdsLimitWhichEnabledWorkflowsFire(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow a = enabledWorkflow(kind, org);
        WorkflowRow b = enabledWorkflow(kind, org);
        WorkflowRow off = insert(kind, workflow(org, false, BASE));
        WorkflowRow foreign = enabledWorkflow(kind, newOrganization(on(kind)));

        Acceptance onlyB = store.intake(org, WEBHOOK, List.of(b.id()), null, DATA);
        Acceptance disabled = store.intake(org, WEBHOOK, List.of(off.id()), null, DATA);
        Acceptance otherOrgs = store.intake(org, WEBHOOK, List.of(foreign.id()), null, DATA);
        Acceptance mixed = store.intake(org, WEBHOOK, List.of(a.id(), off.id()), null, DATA);
        Acceptance wrongType = store.intake(org, uniqueTriggerType(), List.of(a.id()), null, DATA);

        assertThat(onlyB.executionIds()).hasSize(1);
        assertThat(store.get(org, onlyB.executionIds().get(0)).orElseThrow().workflowId()).isEqualTo(b.id());
        assertThat(disabled).isEqualTo(new Acceptance(List.of(), false));
        assertThat(otherOrgs).isEqualTo(new Acceptance(List.of(), false));
        assertThat(mixed.executionIds()).hasSize(1);
        assertThat(store.get(org, mixed.executionIds().get(0)).orElseThrow().workflowId()).isEqualTo(a.id());
        assertThat(wrongType.executionIds()).isEmpty();
        assertThat(executionsOf(kind, org)).isEqualTo(2);
    }

    @OnBothDatabases
    void anIntakeRoutedByAnOlderWorkflowVersionIsStaleAndWritesNothing(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow v1 = enabledWorkflow(kind, org);
        String id = v1.id();
        store.intake(org, WEBHOOK, List.of(id), "first", DATA, false, Map.of(id, 1));
        // Another node switches the trigger (say, to key authentication): version 2.
        new WorkflowStoreImpl(db(kind)).update(new WorkflowRow(id, org, v1.name(), true, 2, WEBHOOK, v1.triggerKey(),
                v1.definition(), v1.createdAt(), now()), true);
        long before = executionsOf(kind, org);

        Acceptance unkeyed = store.intake(org, WEBHOOK, List.of(id), null, DATA, false, Map.of(id, 1));
        Acceptance keyed = store.intake(org, WEBHOOK, List.of(id), "second", DATA, false, Map.of(id, 1));
        Acceptance replayed = store.intake(org, WEBHOOK, List.of(id), "first", DATA, false, Map.of(id, 1));
        Acceptance current = store.intake(org, WEBHOOK, List.of(id), null, DATA, false, Map.of(id, 2));

        assertThat(List.of(unkeyed, keyed, replayed)).as("nothing, not even an earlier delivery's ids")
                .containsOnly(new Acceptance(List.of(), false, true));
        assertThat(current.stale()).isFalse();
        assertThat(current.executionIds()).hasSize(1);
        assertThat(executionsOf(kind, org)).isEqualTo(before + 1);
        assertThat(eventsOf(kind, org)).as("the first delivery and the current one").isEqualTo(2);
    }

    @OnBothDatabases
    void aStaleRequestInAGroupCommitLeavesTheOthersOfItsBatchAccepted(DbKind kind) throws Exception {
        fresh(kind);
        String org = newOrganization(on(kind));
        String id = enabledWorkflow(kind, org).id();
        List<IntakeBatcher.Request> batch = List.of(
                new IntakeBatcher.Request(org, WEBHOOK, List.of(id), null, DATA, false, Map.of(id, 1)),
                new IntakeBatcher.Request(org, WEBHOOK, List.of(id), null, DATA, false, Map.of(id, 0)),
                new IntakeBatcher.Request(org, WEBHOOK, List.of(id), null, DATA, false, Map.of()));

        List<Acceptance> answers;
        try (Connection c = db(kind).dataSource().getConnection()) {
            answers = ExecutionStoreImpl.write(c, batch).stream().map(ExecutionStore.LeasedIntake::acceptance).toList();
        }

        assertThat(answers).extracting(Acceptance::stale).containsExactly(false, true, false);
        assertThat(answers.get(0).executionIds()).hasSize(1);
        assertThat(answers.get(2).executionIds()).hasSize(1);
        assertThat(executionsOf(kind, org)).isEqualTo(2);
    }

    @OnBothDatabases
    void aRepeatedDedupeKeyReturnsTheFirstDeliverysExecutionsAndCreatesNothing(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        enabledWorkflow(kind, org);

        Acceptance first = store.intake(org, WEBHOOK, List.of(), "delivery-1", DATA);
        Acceptance again = store.intake(org, WEBHOOK, List.of(), "delivery-1", "{\"changed\":true}");

        assertThat(first.duplicate()).isFalse();
        assertThat(first.executionIds()).hasSize(2);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.executionIds()).containsExactlyInAnyOrderElementsOf(first.executionIds());
        assertThat(executionsOf(kind, org)).isEqualTo(2);
        assertThat(eventsOf(kind, org)).isEqualTo(1);
        assertThat(store.get(org, again.executionIds().get(0)).orElseThrow().triggerData()).as("the first data kept")
                .isEqualTo(DATA);
    }

    @OnBothDatabases
    void dedupeKeysAreScopedByOrganizationAndTriggerTypeAndLongKeysStillDedupe(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        String otherOrg = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        enabledWorkflow(kind, otherOrg);
        String quietType = uniqueTriggerType();
        String longKey = "x".repeat(300);

        Acceptance inOrg = store.intake(org, WEBHOOK, List.of(), "k", DATA);
        Acceptance inOtherOrg = store.intake(otherOrg, WEBHOOK, List.of(), "k", DATA);
        Acceptance firedNothing = store.intake(org, quietType, List.of(), "k", DATA);
        Acceptance firedNothingAgain = store.intake(org, quietType, List.of(), "k", DATA);
        Acceptance longFirst = store.intake(org, WEBHOOK, List.of(), longKey, DATA);
        Acceptance longAgain = store.intake(org, WEBHOOK, List.of(), longKey, DATA);
        Acceptance almostTheLongKey = store.intake(org, WEBHOOK, List.of(), longKey + "y", DATA);

        assertThat(inOrg.duplicate()).isFalse();
        assertThat(inOtherOrg.duplicate()).isFalse();
        assertThat(inOtherOrg.executionIds()).hasSize(1).doesNotContainAnyElementsOf(inOrg.executionIds());
        assertThat(firedNothing).isEqualTo(new Acceptance(List.of(), false));
        assertThat(firedNothingAgain).isEqualTo(new Acceptance(List.of(), true));
        assertThat(longFirst.duplicate()).isFalse();
        assertThat(longAgain).isEqualTo(new Acceptance(longFirst.executionIds(), true));
        assertThat(almostTheLongKey.duplicate()).isFalse();
        assertThat(on(kind).count("select count(*) from df_trigger_event where org_id = ? and dedupe_key like 'sha256:%'",
                org)).isEqualTo(2);
    }

    @OnBothDatabases
    void concurrentIntakesGiveEachUnkeyedDeliveryItsOwnExecutionsAndEachKeyOneEvent(DbKind kind) throws Exception {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        enabledWorkflow(kind, org);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            keys.add(i % 2 == 0 ? null : "key-" + (i % 7));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Acceptance> results = new ArrayList<>();
        try {
            List<Future<Acceptance>> futures = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                String data = "{\"i\":" + i + "}";
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.intake(org, WEBHOOK, List.of(), key, data);
                }));
            }
            start.countDown();
            for (Future<Acceptance> f : futures) {
                results.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> unkeyedIds = new HashSet<>();
        Map<String, List<Acceptance>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            Acceptance a = results.get(i);
            if (keys.get(i) == null) {
                assertThat(a.duplicate()).isFalse();
                assertThat(a.executionIds()).hasSize(2);
                assertThat(unkeyedIds.addAll(a.executionIds())).as("delivery %d has its own executions", i).isTrue();
            } else {
                byKey.computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(a);
            }
        }
        assertThat(unkeyedIds).hasSize(50);
        assertThat(byKey).hasSize(7);
        Set<String> keyedIds = new HashSet<>();
        byKey.forEach((key, deliveries) -> {
            assertThat(deliveries).filteredOn(a -> !a.duplicate()).as("first deliveries of %s", key).hasSize(1);
            List<String> ids = deliveries.get(0).executionIds();
            assertThat(ids).hasSize(2);
            assertThat(deliveries).allSatisfy(a -> assertThat(a.executionIds()).containsExactlyInAnyOrderElementsOf(ids));
            assertThat(on(kind).count("select count(*) from df_trigger_event where org_id = ? and dedupe_key = ?",
                    org, key)).as("events for %s", key).isEqualTo(1);
            keyedIds.addAll(ids);
        });
        assertThat(keyedIds).hasSize(14).doesNotContainAnyElementsOf(unkeyedIds);
        assertThat(executionsOf(kind, org)).isEqualTo(50 + 14);
        assertThat(eventsOf(kind, org)).isEqualTo(25 + 7);
    }

    // ---------------------------------------------------------------- claims and leases

    @OnBothDatabases
    void claimLeasesDueExecutionsAndASecondClaimGetsNoneOfThem(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        for (int i = 0; i < 3; i++) {
            enabledWorkflow(kind, org);
        }
        List<String> ids = store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds();
        Instant before = now();

        List<Claim> claims = store.claim("node-a", 10, LEASE);

        assertThat(claims).extracting(c -> c.execution().id()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(claims).extracting(Claim::leaseToken).doesNotContainNull().doesNotHaveDuplicates();
        for (Claim c : claims) {
            ExecutionRow e = c.execution();
            assertThat(e.status()).isEqualTo("running");
            assertThat(e.startedAt()).isNotNull().isAfterOrEqualTo(before);
            assertThat(e.nextAttemptAt()).isAfterOrEqualTo(before.plus(LEASE));
            assertThat(e.triggerData()).isEqualTo(DATA);
            assertThat(c.stepAttempts()).isZero();
            Map<String, Object> row = executionRow(kind, e.id());
            assertThat(row.get("lease_owner")).isEqualTo(c.leaseToken());
            assertThat(utc(row.get("lease_until"))).isEqualTo(e.nextAttemptAt());
        }
        assertThat(store.claim("node-b", 10, LEASE)).isEmpty();
        assertThat(store.claim("node-b", 0, LEASE)).isEmpty();
    }

    @OnBothDatabases
    void anIntakeLeasesItsFirstExecutionToTheAcceptingNodeAndQueuesTheRest(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        String first = enabledWorkflow(kind, org).id();
        enabledWorkflow(kind, org);
        Instant before = now();

        ExecutionStore.LeasedIntake written = store.intakeLeased(org, WEBHOOK, List.of(), null, DATA, true, Map.of(),
                "node-a", LEASE);

        List<String> ids = written.acceptance().executionIds();
        assertThat(ids).hasSize(2);
        Claim leased = written.claim().orElseThrow();
        ExecutionRow e = leased.execution();
        assertThat(e.id()).isEqualTo(ids.get(0));
        assertThat(e.workflowId()).isEqualTo(first);
        assertThat(e.status()).isEqualTo("running");
        assertThat(e.triggerData()).isEqualTo(DATA);
        assertThat(e.test()).isTrue();
        assertThat(leased.leaseToken()).startsWith("node-a:");
        assertThat(leased.stepAttempts()).isZero();
        assertThat(leased.interrupted()).isFalse();
        // Stored as a claim would have left it.
        Map<String, Object> row = executionRow(kind, e.id());
        assertThat(row.get("lease_owner")).isEqualTo(leased.leaseToken());
        assertThat(utc(row.get("lease_until"))).isEqualTo(e.nextAttemptAt()).isAfterOrEqualTo(before.plus(LEASE));
        assertThat(store.get(org, e.id()).orElseThrow()).isEqualTo(e);

        Claim queued = only(store.claim("node-b", 10, LEASE));
        assertThat(queued.execution().id()).as("only the second is queued for claims").isEqualTo(ids.get(1));
        assertThat(store.lastStepSucceeded(leased, 0, "log", "{}", "{}", "{}")).isTrue();
        assertThat(store.get(org, e.id()).orElseThrow().status()).isEqualTo("succeeded");
        assertThat(step(store.steps(e.id()), 0).attempts()).isEqualTo(1);
    }

    @OnBothDatabases
    void anExecutionLeasedAtIntakeIsTakenOverWhenItsNodeGoesAway(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        Claim lost = store.intakeLeased(org, WEBHOOK, List.of(), null, DATA, false, Map.of(), "node-a",
                Duration.ofMillis(1)).claim().orElseThrow();

        Claim current = claimOnceExpired(store, "node-b", lost.execution().id());

        assertThat(current.interrupted()).as("its holder may have begun the step").isTrue();
        assertThat(current.execution().triggerData()).isEqualTo(DATA);
        assertThat(store.lastStepSucceeded(lost, 0, "log", "{}", "{}", "{}")).as("fenced off").isFalse();
        assertThat(store.lastStepSucceeded(current, 0, "log", "{}", "{}", "{}")).isTrue();
    }

    @OnBothDatabases
    void aRepeatedDeliveryOrAStaleOneLeasesNothing(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        String id = enabledWorkflow(kind, org).id();
        Claim firstDelivery = store.intakeLeased(org, WEBHOOK, List.of(), "key-1", DATA, false, Map.of(), "node-a",
                LEASE).claim().orElseThrow();

        ExecutionStore.LeasedIntake again = store.intakeLeased(org, WEBHOOK, List.of(), "key-1", DATA, false, Map.of(),
                "node-a", LEASE);
        ExecutionStore.LeasedIntake stale = store.intakeLeased(org, WEBHOOK, List.of(id), null, DATA, false,
                Map.of(id, 0), "node-a", LEASE);

        assertThat(again.acceptance().duplicate()).isTrue();
        assertThat(again.acceptance().executionIds()).containsExactly(firstDelivery.execution().id());
        assertThat(again.claim()).isEmpty();
        assertThat(stale.acceptance().stale()).isTrue();
        assertThat(stale.claim()).isEmpty();
        assertThat(executionsOf(kind, org)).isEqualTo(1);
    }

    @OnBothDatabases
    void claimTakesAtMostMax(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        for (int i = 0; i < 3; i++) {
            enabledWorkflow(kind, org);
        }
        List<String> ids = store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds();

        List<Claim> first = store.claim("node-a", 2, LEASE);
        List<Claim> second = store.claim("node-a", 2, LEASE);

        assertThat(first).hasSize(2);
        assertThat(second).hasSize(1);
        List<String> all = new ArrayList<>();
        first.forEach(c -> all.add(c.execution().id()));
        second.forEach(c -> all.add(c.execution().id()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(store.claim("node-a", 2, LEASE)).isEmpty();
    }

    @OnBothDatabases
    void twoConcurrentClaimersNeverGetTheSameExecutionAndTogetherGetAll(DbKind kind) throws Exception {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        for (int i = 0; i < 4; i++) {
            enabledWorkflow(kind, org);
        }
        Set<String> queued = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            queued.addAll(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());
        }
        assertThat(queued).hasSize(40);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Claim> a;
        List<Claim> b;
        try {
            Future<List<Claim>> fa = pool.submit(claimUntilEmpty(store, "node-a", start));
            Future<List<Claim>> fb = pool.submit(claimUntilEmpty(store, "node-b", start));
            start.countDown();
            a = fa.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            b = fb.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        List<String> idsA = a.stream().map(c -> c.execution().id()).toList();
        List<String> idsB = b.stream().map(c -> c.execution().id()).toList();
        // How they split varies: on H2 a claim's open transaction locks every due row it scanned, so the other
        // claimer may skip them all and stop at once; on PostgreSQL both usually take a share.
        assertThat(idsA).doesNotHaveDuplicates().noneMatch(idsB::contains);
        assertThat(idsB).doesNotHaveDuplicates();
        List<String> together = new ArrayList<>(idsA);
        together.addAll(idsB);
        assertThat(together).containsExactlyInAnyOrderElementsOf(queued);
        for (Claim c : a) {
            assertThat(executionRow(kind, c.execution().id()).get("lease_owner")).isEqualTo(c.leaseToken());
        }
        for (Claim c : b) {
            assertThat(executionRow(kind, c.execution().id()).get("lease_owner")).isEqualTo(c.leaseToken());
        }
    }

    private static Callable<List<Claim>> claimUntilEmpty(ExecutionStoreImpl store, String node, CountDownLatch start) {
        return () -> {
            start.await();
            List<Claim> mine = new ArrayList<>();
            List<Claim> batch;
            while (!(batch = store.claim(node, 10, LEASE)).isEmpty()) {
                assertThat(batch).hasSizeLessThanOrEqualTo(10);
                mine.addAll(batch);
            }
            return mine;
        };
    }

    @OnBothDatabases
    void theHolderCanRenewItsLease(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, Duration.ofMinutes(1)));

        assertThat(store.renew(claim, Duration.ofMinutes(10))).isTrue();

        Map<String, Object> row = executionRow(kind, claim.execution().id());
        assertThat(utc(row.get("lease_until"))).isAfter(claim.execution().nextAttemptAt().plus(Duration.ofMinutes(8)));
        assertThat(utc(row.get("next_attempt_at"))).isEqualTo(utc(row.get("lease_until")));
        assertThat(row.get("lease_owner")).isEqualTo(claim.leaseToken());
        assertThat(store.claim("node-b", 10, LEASE)).isEmpty();
    }

    @OnBothDatabases
    void anExpiredLeaseIsReclaimedAndTheOldHolderCanNoLongerWrite(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim old = only(store.claim("node-a", 10, Duration.ofMillis(1)));
        String id = old.execution().id();

        Claim current = claimOnceExpired(store, "node-b", id);

        assertThat(current.leaseToken()).isNotEqualTo(old.leaseToken());
        assertThat(current.execution().status()).isEqualTo("running");
        assertThat(current.execution().startedAt()).isEqualTo(old.execution().startedAt());
        assertThat(store.renew(old, LEASE)).isFalse();
        assertThat(store.stepSucceeded(old, 0, "log", "{}", "{}", "{\"stale\":true}")).isFalse();
        assertThat(store.stepRetry(old, 0, "log", "{}", "stale", now().minusSeconds(1))).isFalse();
        assertThat(store.stepFailed(old, 0, "log", "{}", "stale")).isFalse();
        assertThat(store.waiting(old, "log", now())).isFalse();
        assertThat(store.succeeded(old)).isFalse();
        store.release(old);

        ExecutionRow row = store.get(org, id).orElseThrow();
        assertThat(row.status()).isEqualTo("running");
        assertThat(row.currentStep()).isZero();
        assertThat(row.variables()).isNull();
        assertThat(row.error()).isNull();
        assertThat(row.waitingFor()).isNull();
        assertThat(row.finishedAt()).isNull();
        assertThat(row.nextAttemptAt()).isEqualTo(current.execution().nextAttemptAt());
        assertThat(executionRow(kind, id).get("lease_owner")).isEqualTo(current.leaseToken());
        assertThat(store.steps(id)).isEmpty();
        assertThat(store.renew(current, LEASE)).isTrue();

        // The new holder knows an attempt may have been cut off, and counts it without letting go.
        assertThat(old.interrupted()).isFalse();
        assertThat(current.interrupted()).isTrue();
        assertThat(store.attemptLost(old, 0, "log", "stale")).isFalse();
        assertThat(store.attemptLost(current, 0, "log", "never reported back")).isTrue();
        StepRow lost = only(store.steps(id));
        assertThat(lost.status()).isEqualTo("retrying");
        assertThat(lost.attempts()).isEqualTo(1);
        assertThat(lost.error()).isEqualTo("never reported back");
        assertThat(store.get(org, id).orElseThrow().status()).isEqualTo("running");
        assertThat(store.stepSucceeded(current, 0, "log", "{}", "{}", "{}")).isTrue();
        assertThat(step(store.steps(id), 0).attempts()).isEqualTo(2);
    }

    @OnBothDatabases
    void anOrganizationsBacklogCannotKeepAnothersExecutionWaiting(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String busy = newOrganization(on(kind));
        String quiet = newOrganization(on(kind));
        enabledWorkflow(kind, busy);
        enabledWorkflow(kind, quiet);
        for (int i = 0; i < 30; i++) {
            store.intake(busy, WEBHOOK, List.of(), null, DATA);
        }
        String waiting = only(store.intake(quiet, WEBHOOK, List.of(), null, DATA).executionIds());

        // The busy organization already runs its share: the quiet one's execution, behind 30 others, is found.
        List<Claim> claims = store.claim("node-a", 4, LEASE, 3, Map.of(busy, 3));
        assertThat(claims).extracting(c -> c.execution().id()).containsExactly(waiting);

        // With room for both, they take turns.
        String second = only(store.intake(quiet, WEBHOOK, List.of(), null, DATA).executionIds());
        List<Claim> turns = store.claim("node-a", 4, LEASE, 3, Map.of());
        assertThat(turns).extracting(c -> c.execution().organizationId()).containsExactlyInAnyOrder(busy, busy, busy, quiet);
        assertThat(turns).extracting(c -> c.execution().id()).contains(second);
    }

    @OnBothDatabases
    void pastAnOrganizationAtItsShareEveryOtherOrganizationsDueWorkIsTakenEachUpToItsShare(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String busy = newOrganization(on(kind));
        String abandoning = newOrganization(on(kind));
        String several = newOrganization(on(kind));
        String one = newOrganization(on(kind));
        for (String org : List.of(busy, abandoning, several, one)) {
            enabledWorkflow(kind, org);
        }
        for (int i = 0; i < 30; i++) {
            store.intake(busy, WEBHOOK, List.of(), null, DATA);
        }
        Claim gone = store.intakeLeased(abandoning, WEBHOOK, List.of(), null, DATA, false, Map.of(), "node-a",
                Duration.ofMillis(1)).claim().orElseThrow();
        Claim waitsForSms = store.intakeLeased(several, WEBHOOK, List.of(), null, DATA, false, Map.of(), "node-a",
                LEASE).claim().orElseThrow();
        assertThat(store.waiting(waitsForSms, "sms", now())).isTrue();
        List<String> severalQueued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            severalQueued.add(only(store.intake(several, WEBHOOK, List.of(), null, DATA).executionIds()));
        }
        String oneQueued = only(store.intake(one, WEBHOOK, List.of(), null, DATA).executionIds());
        await().atMost(WAIT).until(() -> now().isAfter(gone.execution().nextAttemptAt()));

        // The busy organization runs its share on this node, which runs no "sms" actions: behind its 30 executions
        // the others' are found, the oldest three of the organization with four, and one whose holder went away.
        List<Claim> claims = store.claim("node-b", 10, LEASE, 3, Map.of(busy, 3), Set.of("log"));

        assertThat(claims).extracting(c -> c.execution().id()).containsExactlyInAnyOrder(gone.execution().id(),
                severalQueued.get(0), severalQueued.get(1), severalQueued.get(2), oneQueued);
        assertThat(claims).filteredOn(c -> c.execution().id().equals(gone.execution().id()))
                .extracting(Claim::interrupted).containsExactly(true);
        assertThat(store.get(several, waitsForSms.execution().id()).orElseThrow().status()).isEqualTo("waiting");
    }

    // ---------------------------------------------------------------- cancel

    @OnBothDatabases
    void aQueuedExecutionIsCancelledAtOnceAndCanBeRetried(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        String otherOrg = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        String id = only(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());

        assertThat(store.cancel(otherOrg, id)).as("another organization's execution").isEmpty();
        assertThat(store.cancel(org, id)).contains(ExecutionStore.CancelOutcome.CANCELLED);

        ExecutionRow row = store.get(org, id).orElseThrow();
        assertThat(row.status()).isEqualTo("cancelled");
        assertThat(row.finishedAt()).isNotNull();
        assertThat(store.claim("node-a", 10, LEASE)).as("a cancelled execution is not due").isEmpty();
        assertThat(store.cancel(org, id)).contains(ExecutionStore.CancelOutcome.UNCHANGED);

        assertThat(store.retry(org, id)).isTrue();
        assertThat(store.get(org, id).orElseThrow().status()).isEqualTo("queued");
    }

    @OnBothDatabases
    void aRunningExecutionIsAskedToStopAndStopsAtItsNextStepBoundary(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();

        assertThat(store.stopIfCancelled(claim)).as("nothing was asked").isFalse();
        assertThat(store.cancel(org, id)).contains(ExecutionStore.CancelOutcome.REQUESTED);
        assertThat(store.get(org, id).orElseThrow()).satisfies(r -> {
            assertThat(r.status()).isEqualTo("running");
            assertThat(r.cancelRequested()).isTrue();
        });
        assertThat(store.cancel(org, id)).contains(ExecutionStore.CancelOutcome.UNCHANGED);

        assertThat(store.renew(claim, LEASE)).as("the holder learns of it at its next renewal").isFalse();
        assertThat(store.stepSucceeded(claim, 0, "log", "{}", "{}", "{}")).as("the running step is still recorded")
                .isTrue();
        assertThat(store.stopIfCancelled(claim)).isTrue();

        ExecutionRow row = store.get(org, id).orElseThrow();
        assertThat(row.status()).isEqualTo("cancelled");
        assertThat(row.cancelRequested()).isFalse();
        assertThat(row.currentStep()).isEqualTo(1);
        assertThat(executionRow(kind, id).get("lease_owner")).isNull();
    }

    @OnBothDatabases
    void aStepThatFailsAfterACancellationEndsTheExecutionCancelledNotQueued(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();
        store.cancel(org, id);

        assertThat(store.stepRetry(claim, 0, "webhook.call", "{}", "interrupted", now().plusSeconds(5))).isTrue();

        assertThat(store.get(org, id).orElseThrow().status()).isEqualTo("cancelled");
        assertThat(only(store.steps(id)).status()).isEqualTo("retrying");
        assertThat(store.claim("node-a", 10, LEASE)).isEmpty();
    }

    @OnBothDatabases
    void aCancellationWhoseHolderVanishedEndsWhenTheLeaseRunsOut(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, Duration.ofSeconds(2)));
        String id = claim.execution().id();
        assertThat(store.cancel(org, id)).contains(ExecutionStore.CancelOutcome.REQUESTED);

        await().atMost(WAIT).until(() -> {
            assertThat(store.claim("node-b", 10, LEASE)).as("never handed out again").isEmpty();
            return "cancelled".equals(store.get(org, id).orElseThrow().status());
        });
    }

    @OnBothDatabases
    void cancellingAWorkflowsExecutionsLeavesFinishedOnesAndOtherWorkflowsAlone(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow workflow = enabledWorkflow(kind, org);
        String done = only(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());
        store.succeeded(only(store.claim("node-a", 10, LEASE)));
        String running = only(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());
        Claim held = only(store.claim("node-a", 10, LEASE));
        String queued = only(store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds());
        WorkflowRow other = insert(kind, StoreFixtures.withTriggerKey(workflow(org, true, now()), "other"));
        String elsewhere = store.intake(org, WEBHOOK, List.of(other.id()), null, DATA).executionIds().get(0);

        assertThat(store.cancelUnfinished(newOrganization(on(kind)), workflow.id())).isZero();
        assertThat(store.cancelUnfinished(org, workflow.id())).isEqualTo(2);

        assertThat(held.execution().id()).isEqualTo(running);
        assertThat(store.get(org, done).orElseThrow().status()).isEqualTo("succeeded");
        assertThat(store.get(org, running).orElseThrow().cancelRequested()).isTrue();
        assertThat(store.get(org, queued).orElseThrow().status()).isEqualTo("cancelled");
        assertThat(store.get(org, elsewhere).orElseThrow().status()).isEqualTo("queued");
    }

    // ---------------------------------------------------------------- steps

    @OnBothDatabases
    void aSucceededStepMovesOnAndStoresTheVariables(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();

        assertThat(store.stepSucceeded(claim, 0, "http.request", "{\"url\":\"https://example.org\"}",
                "{\"status\":200}", "{\"steps\":[{\"status\":200}]}")).isTrue();

        ExecutionRow row = store.get(org, id).orElseThrow();
        assertThat(row.currentStep()).isEqualTo(1);
        assertThat(row.variables()).isEqualTo("{\"steps\":[{\"status\":200}]}");
        assertThat(row.status()).isEqualTo("running");
        assertThat(executionRow(kind, id).get("lease_owner")).as("still held").isEqualTo(claim.leaseToken());
        StepRow step = only(store.steps(id));
        assertThat(step.executionId()).isEqualTo(id);
        assertThat(step.index()).isZero();
        assertThat(step.type()).isEqualTo("http.request");
        assertThat(step.status()).isEqualTo("succeeded");
        assertThat(step.input()).isEqualTo("{\"url\":\"https://example.org\"}");
        assertThat(step.output()).isEqualTo("{\"status\":200}");
        assertThat(step.error()).isNull();
        assertThat(step.attempts()).isEqualTo(1);
        assertThat(step.startedAt()).isNotNull();
        assertThat(step.finishedAt()).isNotNull();

        assertThat(store.stepSucceeded(claim, 1, "log", "{}", "{}", "{\"v\":2}")).isTrue();
        assertThat(store.get(org, id).orElseThrow().currentStep()).isEqualTo(2);
        assertThat(store.get(org, id).orElseThrow().variables()).isEqualTo("{\"v\":2}");
    }

    private static StepRow step(List<StepRow> steps, int index) {
        return steps.stream().filter(s -> s.index() == index).findFirst().orElseThrow();
    }

    @OnBothDatabases
    void succeededFinishesTheExecution(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();
        store.stepSucceeded(claim, 0, "log", "{}", "{}", "{}");
        Instant before = now();

        assertThat(store.succeeded(claim)).isTrue();

        ExecutionRow row = store.get(org, id).orElseThrow();
        assertThat(row.status()).isEqualTo("succeeded");
        assertThat(row.finishedAt()).isNotNull().isAfterOrEqualTo(before);
        assertThat(row.error()).isNull();
        Map<String, Object> raw = executionRow(kind, id);
        assertThat(raw.get("lease_owner")).isNull();
        assertThat(raw.get("lease_until")).isNull();
        assertThat(store.claim("node-b", 10, LEASE)).as("a finished execution is never due").isEmpty();
        assertThat(store.succeeded(claim)).as("a finished execution is no longer held").isFalse();
        assertThat(store.renew(claim, LEASE)).isFalse();
        assertThat(store.retry(org, id)).as("retry only applies to failed executions").isFalse();
    }

    @OnBothDatabases
    void aRetriedStepIsQueuedForItsRetryTimeAndCountsItsAttempts(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        List<Claim> claims = store.claim("node-a", 10, LEASE);
        assertThat(claims).hasSize(2);
        Claim later = claims.get(0);
        Claim sooner = claims.get(1);
        Instant retryAt = now().plus(Duration.ofHours(1));

        assertThat(store.stepRetry(later, 0, "http.request", "{\"try\":1}", "503 from upstream", retryAt)).isTrue();
        assertThat(store.stepRetry(sooner, 0, "http.request", "{\"try\":1}", "timeout", now().minusSeconds(1))).isTrue();

        ExecutionRow waitingRow = store.get(org, later.execution().id()).orElseThrow();
        assertThat(waitingRow.status()).isEqualTo("queued");
        assertThat(waitingRow.nextAttemptAt()).isEqualTo(retryAt);
        assertThat(waitingRow.error()).isEqualTo("503 from upstream");
        assertThat(waitingRow.currentStep()).isZero();
        assertThat(executionRow(kind, later.execution().id()).get("lease_owner")).isNull();
        StepRow retrying = only(store.steps(later.execution().id()));
        assertThat(retrying.status()).isEqualTo("retrying");
        assertThat(retrying.attempts()).isEqualTo(1);
        assertThat(retrying.error()).isEqualTo("503 from upstream");
        assertThat(retrying.input()).isEqualTo("{\"try\":1}");
        assertThat(retrying.output()).isNull();

        Claim second = only(store.claim("node-b", 10, LEASE));
        assertThat(second.execution().id()).as("only the one whose retry time has passed").isEqualTo(sooner.execution().id());
        assertThat(second.stepAttempts()).isEqualTo(1);
        assertThat(second.execution().status()).isEqualTo("running");
        assertThat(store.stepSucceeded(sooner, 0, "http.request", "{}", "{}", "{}")).as("the first claim is over").isFalse();

        assertThat(store.stepRetry(second, 0, "http.request", "{\"try\":2}", "timeout again", now().minusSeconds(1)))
                .isTrue();
        Claim third = only(store.claim("node-c", 10, LEASE));
        assertThat(third.execution().id()).isEqualTo(sooner.execution().id());
        assertThat(third.stepAttempts()).isEqualTo(2);
        StepRow step = only(store.steps(sooner.execution().id()));
        assertThat(step.attempts()).isEqualTo(2);
        assertThat(step.input()).isEqualTo("{\"try\":2}");
        assertThat(step.error()).isEqualTo("timeout again");
        assertThat(store.claim("node-d", 10, LEASE)).as("the other one waits for its retry time").isEmpty();
    }

    @OnBothDatabases
    void aFailedStepFailsTheExecutionAndRetryRequeuesItFromThatStep(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        String otherOrg = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();
        store.stepSucceeded(claim, 0, "log", "{\"m\":1}", "{\"ok\":true}", "{\"after\":0}");
        Instant before = now();

        assertThat(store.stepFailed(claim, 1, "email.send", "{\"to\":\"a@example.org\"}", "smtp down")).isTrue();

        ExecutionRow failed = store.get(org, id).orElseThrow();
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).isEqualTo("smtp down");
        assertThat(failed.finishedAt()).isNotNull().isAfterOrEqualTo(before);
        assertThat(failed.currentStep()).isEqualTo(1);
        assertThat(executionRow(kind, id).get("lease_owner")).isNull();
        List<StepRow> steps = store.steps(id);
        assertThat(steps).extracting(StepRow::index).containsExactly(0, 1);
        assertThat(steps).extracting(StepRow::status).containsExactly("succeeded", "failed");
        assertThat(step(steps, 1).error()).isEqualTo("smtp down");
        assertThat(step(steps, 1).attempts()).isEqualTo(1);
        assertThat(store.claim("node-a", 10, LEASE)).as("a failed execution is not due").isEmpty();

        assertThat(store.retry(otherOrg, id)).as("another organization's execution").isFalse();
        assertThat(store.retry(org, newId())).isFalse();
        assertThat(store.retry(org, id)).isTrue();

        ExecutionRow queued = store.get(org, id).orElseThrow();
        assertThat(queued.status()).isEqualTo("queued");
        assertThat(queued.error()).isNull();
        assertThat(queued.finishedAt()).isNull();
        assertThat(queued.currentStep()).isEqualTo(1);
        assertThat(queued.variables()).isEqualTo("{\"after\":0}");
        assertThat(step(store.steps(id), 1).attempts()).isZero();
        assertThat(step(store.steps(id), 1).status()).isEqualTo("pending");
        assertThat(step(store.steps(id), 0).status()).as("earlier steps stay as they were").isEqualTo("succeeded");
        assertThat(store.retry(org, id)).as("a queued execution is not failed").isFalse();

        Claim again = only(store.claim("node-b", 10, LEASE));
        assertThat(again.execution().id()).isEqualTo(id);
        assertThat(again.execution().currentStep()).isEqualTo(1);
        assertThat(again.stepAttempts()).isZero();
        assertThat(store.retry(org, id)).as("a running execution is not failed").isFalse();
    }

    @OnBothDatabases
    void aVeryLongErrorIsCutToTheColumnSize(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));

        assertThat(store.stepFailed(claim, 0, "http.request", "{}", "e".repeat(10_000))).isTrue();

        String error = store.get(org, claim.execution().id()).orElseThrow().error();
        assertThat(error).hasSize(4000).endsWith("...");
        assertThat(only(store.steps(claim.execution().id())).error()).isEqualTo(error);
    }

    @OnBothDatabases
    void waitingParksTheExecutionUntilItsActionTypeIsWoken(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();
        Instant recheckAt = now().plus(Duration.ofHours(1));

        assertThat(store.waiting(claim, "slack.post", recheckAt)).isTrue();

        ExecutionRow parked = store.get(org, id).orElseThrow();
        assertThat(parked.status()).isEqualTo("waiting");
        assertThat(parked.waitingFor()).isEqualTo("slack.post");
        assertThat(parked.nextAttemptAt()).isEqualTo(recheckAt);
        assertThat(executionRow(kind, id).get("lease_owner")).isNull();
        assertThat(store.claim("node-a", 10, LEASE)).isEmpty();
        assertThat(store.wakeWaiting("discord.post")).isZero();

        assertThat(store.wakeWaiting("slack.post")).isEqualTo(1);

        assertThat(store.get(org, id).orElseThrow().nextAttemptAt()).isBeforeOrEqualTo(now());
        Claim woken = only(store.claim("node-b", 10, LEASE));
        assertThat(woken.execution().id()).isEqualTo(id);
        assertThat(woken.execution().status()).isEqualTo("running");
        assertThat(woken.leaseToken()).isNotEqualTo(claim.leaseToken());
        assertThat(store.wakeWaiting("slack.post")).as("no longer waiting").isZero();
    }

    @OnBothDatabases
    void aWaitingExecutionIsDueAgainAtItsRecheckTime(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));

        store.waiting(claim, "slack.post", now().minusSeconds(1));

        assertThat(only(store.claim("node-b", 10, LEASE)).execution().id()).isEqualTo(claim.execution().id());
    }

    @OnBothDatabases
    void releaseHandsTheExecutionBackAsQueued(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();

        store.release(claim);

        ExecutionRow row = store.get(org, id).orElseThrow();
        assertThat(row.status()).isEqualTo("queued");
        assertThat(row.nextAttemptAt()).isBeforeOrEqualTo(now());
        Map<String, Object> raw = executionRow(kind, id);
        assertThat(raw.get("lease_owner")).isNull();
        assertThat(raw.get("lease_until")).isNull();
        Claim next = only(store.claim("node-b", 10, LEASE));
        assertThat(next.execution().id()).isEqualTo(id);
        assertThat(next.execution().startedAt()).as("first start kept").isEqualTo(claim.execution().startedAt());
        assertThat(store.stepSucceeded(claim, 0, "log", "{}", "{}", "{}")).as("released, so no longer held").isFalse();
    }

    // ---------------------------------------------------------------- reads

    @OnBothDatabases
    void listFiltersByWorkflowStatusAndTimeAndPagesNewestFirst(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow wa = enabledWorkflow(kind, org);
        WorkflowRow wb = enabledWorkflow(kind, org);
        List<String> e = new ArrayList<>();
        for (WorkflowRow w : List.of(wa, wa, wa, wb, wb)) {
            e.add(store.intake(org, WEBHOOK, List.of(w.id()), null, DATA).executionIds().get(0));
        }
        for (int i = 0; i < e.size(); i++) {
            on(kind).update("update df_execution set created_at = ? where id = ?",
                    LocalDateTime.ofInstant(BASE.plus(Duration.ofMinutes(i)), ZoneOffset.UTC), e.get(i));
        }
        Map<String, Claim> claims = new HashMap<>();
        store.claim("node-a", 10, LEASE).forEach(c -> claims.put(c.execution().id(), c));
        assertThat(claims).hasSize(5);
        store.succeeded(claims.get(e.get(0)));
        store.stepFailed(claims.get(e.get(1)), 0, "log", "{}", "broken");
        store.release(claims.get(e.get(2)));
        store.succeeded(claims.get(e.get(3)));
        store.release(claims.get(e.get(4)));

        Page<ExecutionRow> first = store.list(org, null, null, null, null, 2, null);
        Page<ExecutionRow> second = store.list(org, null, null, null, null, 2, first.nextCursor());
        Page<ExecutionRow> third = store.list(org, null, null, null, null, 2, second.nextCursor());
        assertThat(first.items()).extracting(ExecutionRow::id).containsExactly(e.get(4), e.get(3));
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.items()).extracting(ExecutionRow::id).containsExactly(e.get(2), e.get(1));
        assertThat(second.nextCursor()).isNotNull();
        assertThat(third.items()).extracting(ExecutionRow::id).containsExactly(e.get(0));
        assertThat(third.nextCursor()).isNull();

        assertThat(ids(store.list(org, wa.id(), null, null, null, 50, null))).containsExactly(e.get(2), e.get(1), e.get(0));
        assertThat(ids(store.list(org, null, "succeeded", null, null, 50, null))).containsExactly(e.get(3), e.get(0));
        assertThat(ids(store.list(org, null, "failed", null, null, 50, null))).containsExactly(e.get(1));
        assertThat(ids(store.list(org, wb.id(), "queued", null, null, 50, null))).containsExactly(e.get(4));
        assertThat(ids(store.list(org, null, null, BASE.plus(Duration.ofMinutes(1)), BASE.plus(Duration.ofMinutes(3)),
                50, null))).as("from inclusive, to exclusive").containsExactly(e.get(2), e.get(1));
        assertThat(ids(store.list(org, wa.id(), "queued", BASE, null, 50, null))).containsExactly(e.get(2));
        assertThat(ids(store.list(newOrganization(on(kind)), null, null, null, null, 50, null))).isEmpty();

        Page<ExecutionRow> queuedFirst = store.list(org, null, "queued", null, null, 1, null);
        Page<ExecutionRow> queuedSecond = store.list(org, null, "queued", null, null, 1, queuedFirst.nextCursor());
        assertThat(ids(queuedFirst)).containsExactly(e.get(4));
        assertThat(queuedFirst.nextCursor()).isNotNull();
        assertThat(ids(queuedSecond)).containsExactly(e.get(2));
        assertThat(queuedSecond.nextCursor()).isNull();
    }

    @OnBothDatabases
    void listSearchesTheTriggerDataCaseInsensitivelyWithinTheOrganizationOnly(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow w = enabledWorkflow(kind, org);
        String ann = store.intake(org, WEBHOOK, List.of(w.id()), null,
                "{\"name\":\"Ann Lee\",\"email\":\"ann@example.com\"}").executionIds().get(0);
        String bob = store.intake(org, WEBHOOK, List.of(w.id()), null,
                "{\"name\":\"Bob 100% Sure\",\"phone\":\"+14155550123\"}").executionIds().get(0);
        String other = newOrganization(on(kind));
        store.intake(other, WEBHOOK, List.of(enabledWorkflow(kind, other).id()), null, "{\"name\":\"Ann Lee\"}");

        assertThat(ids(store.list(org, text("ANN LEE"), 50, null))).containsExactly(ann);
        assertThat(ids(store.list(org, text("+1415555"), 50, null))).containsExactly(bob);
        assertThat(ids(store.list(org, text("100%"), 50, null))).as("% is a character, not a wildcard")
                .containsExactly(bob);
        assertThat(ids(store.list(org, text("10_"), 50, null))).as("_ is a character, not a wildcard").isEmpty();
        assertThat(ids(store.list(org, new ExecutionFilter(w.id(), ExecutionStatus.QUEUED, null, null, "example.com"),
                50, null))).containsExactly(ann);
        assertThat(ids(store.list(org, text("nobody"), 50, null))).isEmpty();
    }

    private static ExecutionFilter text(String text) {
        return new ExecutionFilter(null, null, null, null, text);
    }

    private static List<String> ids(Page<ExecutionRow> page) {
        return page.items().stream().map(ExecutionRow::id).toList();
    }

    @OnBothDatabases
    void pagingVisitsExecutionsOfOneDeliveryExactlyOnce(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        for (int i = 0; i < 5; i++) {
            enabledWorkflow(kind, org);
        }
        List<String> ids = store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<ExecutionRow> page = store.list(org, null, null, null, null, 2, cursor);
            seen.addAll(ids(page));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
    }

    @OnBothDatabases
    void getIsScopedToTheOrganizationUnlessAskedForAnyOrganization(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow w = enabledWorkflow(kind, org);
        String id = store.intake(org, WEBHOOK, List.of(), null, DATA).executionIds().get(0);

        ExecutionRow row = store.get(org, id).orElseThrow();

        assertThat(row.workflowId()).isEqualTo(w.id());
        assertThat(store.get(newOrganization(on(kind)), id)).isEmpty();
        assertThat(store.get(id)).contains(row);
        assertThat(store.get(org, newId())).isEmpty();
        assertThat(store.get(newId())).isEmpty();
    }

    @OnBothDatabases
    void stepsComeBackInOrderWithTheirJson(DbKind kind) {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        store.intake(org, WEBHOOK, List.of(), null, DATA);
        Claim claim = only(store.claim("node-a", 10, LEASE));
        String id = claim.execution().id();
        List<String> types = List.of("http.request", "transform", "log", "email.send", "slack.post",
                "delay", "set", "filter", "http.request", "log", "webhook.reply", "end");
        for (int i = 0; i < types.size(); i++) {
            assertThat(store.stepSucceeded(claim, i, types.get(i), "{\"in\":" + i + "}", "{\"out\":[" + i + "]}",
                    "{\"last\":" + i + "}")).isTrue();
        }

        List<StepRow> steps = store.steps(id);

        assertThat(steps).extracting(StepRow::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(steps).extracting(StepRow::type).containsExactlyElementsOf(types);
        for (StepRow s : steps) {
            assertThat(s.executionId()).isEqualTo(id);
            assertThat(s.input()).isEqualTo("{\"in\":" + s.index() + "}");
            assertThat(s.output()).isEqualTo("{\"out\":[" + s.index() + "]}");
            assertThat(s.status()).isEqualTo("succeeded");
        }
        assertThat(store.steps(newId())).isEmpty();
    }

    // ---------------------------------------------------------------- the workers' group commit (StepBatcher)

    @OnBothDatabases
    void succeededStepsThatQueueUpShareOneTransactionAndALostClaimWritesNothing(DbKind kind) throws Exception {
        ExecutionStoreImpl store = fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        for (int i = 0; i < 4; i++) {
            store.intake(org, WEBHOOK, List.of(), null, DATA);
        }
        List<Claim> claims = store.claim("node-a", 10, LEASE);
        assertThat(claims).hasSize(4);
        Claim lost = claims.get(3);
        // Another node took the execution over (its lease ran out): this claim's result must not be written.
        on(kind).update("update df_execution set lease_owner = ? where id = ?", "node-b:token", lost.execution().id());
        Gate gate = new Gate(db(kind).dataSource());
        StepBatcher batcher = new StepBatcher(gate.dataSource(), 1, 256, kind == DbKind.POSTGRES);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            Future<Boolean> blocked = workers.submit(() -> batcher.submit(succeeded(claims.get(0), true)));
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("committer at the gate").isTrue();
            List<Future<Boolean>> queued = new ArrayList<>();
            for (int i = 1; i < 4; i++) {
                StepBatcher.Succeeded s = succeeded(claims.get(i), i != 2);
                queued.add(workers.submit(() -> batcher.submit(s)));
                awaitQueued(s.result());
            }

            gate.open.countDown();

            assertThat(blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(queued.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("last step").isTrue();
            assertThat(queued.get(1).get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a step with more to come").isTrue();
            assertThat(queued.get(2).get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the lost claim").isFalse();
            assertThat(gate.connections).as("one transaction for the blocked step, one for the three queued").hasValue(2);
        } finally {
            gate.open.countDown();
            batcher.close();
            workers.shutdownNow();
        }
        for (Claim done : List.of(claims.get(0), claims.get(1))) {
            ExecutionRow row = store.get(org, done.execution().id()).orElseThrow();
            assertThat(row.status()).isEqualTo("succeeded");
            assertThat(row.currentStep()).isEqualTo(1);
            assertThat(row.variables()).isEqualTo("{\"v\":1}");
            assertThat(row.finishedAt()).isNotNull();
            assertThat(store.steps(done.execution().id())).singleElement()
                    .satisfies(s -> assertThat(s.status()).isEqualTo("succeeded"));
            assertThat(store.attempts(done.execution().id())).extracting(AttemptRow::number, AttemptRow::outcome)
                    .containsExactly(tuple(1, "succeeded"));
        }
        ExecutionRow goesOn = store.get(org, claims.get(2).execution().id()).orElseThrow();
        assertThat(goesOn.status()).isEqualTo("running");
        assertThat(goesOn.currentStep()).isEqualTo(1);
        assertThat(goesOn.finishedAt()).isNull();
        assertThat(store.steps(goesOn.id())).hasSize(1);
        ExecutionRow untouched = store.get(org, lost.execution().id()).orElseThrow();
        assertThat(untouched.status()).isEqualTo("running");
        assertThat(untouched.currentStep()).isZero();
        assertThat(store.steps(untouched.id())).isEmpty();
        assertThat(store.attempts(untouched.id())).isEmpty();
    }

    private static StepBatcher.Succeeded succeeded(Claim claim, boolean last) {
        return new StepBatcher.Succeeded(claim, 0, "log", "{}", "{\"ok\":true}", "{\"v\":1}", last);
    }

    /** Returns once a worker waits on {@code result}: submit() queues the request before it joins the result. */
    private static void awaitQueued(java.util.concurrent.CompletableFuture<?> result) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (result.getNumberOfDependents() == 0 && !result.isDone()) {
            if (System.nanoTime() > deadline) {
                fail("the request never reached the queue");
            }
            Thread.onSpinWait();
        }
    }

    // ---------------------------------------------------------------- the intake's group commit (IntakeBatcher)

    @OnBothDatabases
    void requestsThatQueueUpAreWrittenInOneTransactionWithDedupeInsideTheBatch(DbKind kind) throws Exception {
        fresh(kind);
        String org = newOrganization(on(kind));
        WorkflowRow a = enabledWorkflow(kind, org);
        enabledWorkflow(kind, org);
        Gate gate = new Gate(db(kind).dataSource());
        IntakeBatcher batcher = new IntakeBatcher(gate.dataSource(), 1, 256);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            Future<Acceptance> blocked = callers.submit(() -> batcher.accept(request(org, List.of(), null, DATA)));
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("committer at the gate").isTrue();
            Future<Acceptance> unkeyed = submitQueued(callers, batcher, request(org, List.of(), null, DATA));
            Future<Acceptance> keyed = submitQueued(callers, batcher, request(org, List.of(), "k", DATA));
            Future<Acceptance> keyedAgain = submitQueued(callers, batcher, request(org, List.of(), "k", DATA));
            Future<Acceptance> sameRoute = submitQueued(callers, batcher, request(org, List.of(), null, DATA));
            Future<Acceptance> listed = submitQueued(callers, batcher, request(org, List.of(a.id()), null, DATA));

            gate.open.countDown();

            Acceptance first = result(blocked);
            Acceptance u = result(unkeyed);
            Acceptance k = result(keyed);
            Acceptance k2 = result(keyedAgain);
            Acceptance s = result(sameRoute);
            Acceptance l = result(listed);
            assertThat(gate.connections).as("one transaction for the blocked request, one for the batch").hasValue(2);
            assertThat(List.of(first, u, k, s, l)).noneMatch(Acceptance::duplicate);
            assertThat(k2.duplicate()).isTrue();
            assertThat(k2.executionIds()).containsExactlyInAnyOrderElementsOf(k.executionIds());
            List<String> all = new ArrayList<>();
            for (Acceptance x : List.of(first, u, k, s)) {
                assertThat(x.executionIds()).hasSize(2);
                all.addAll(x.executionIds());
            }
            assertThat(l.executionIds()).hasSize(1);
            all.addAll(l.executionIds());
            assertThat(all).doesNotHaveDuplicates();
            assertThat(on(kind).queryString("select workflow_id from df_execution where id = ?", l.executionIds().get(0)))
                    .isEqualTo(a.id());
            assertThat(executionsOf(kind, org)).isEqualTo(9);
            assertThat(eventsOf(kind, org)).isEqualTo(5);
        } finally {
            gate.open.countDown();
            batcher.close();
            callers.shutdownNow();
        }
    }

    @OnBothDatabases
    void whenABatchFailsEachOfItsRequestsIsWrittenAloneSoOnlyTheBadOneFails(DbKind kind) throws Exception {
        fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        Gate gate = new Gate(db(kind).dataSource());
        IntakeBatcher batcher = new IntakeBatcher(gate.dataSource(), 1, 256);
        ExecutorService callers = Executors.newFixedThreadPool(5);
        try {
            Future<Acceptance> blocked = callers.submit(() -> batcher.accept(request(org, List.of(), null, DATA)));
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("committer at the gate").isTrue();
            Future<Acceptance> good = submitQueued(callers, batcher, request(org, List.of(), null, DATA));
            Future<Acceptance> bad = submitQueued(callers, batcher, request(org, List.of(), null, null));
            Future<Acceptance> keyed = submitQueued(callers, batcher, request(org, List.of(), "k", DATA));
            Future<Acceptance> keyedAgain = submitQueued(callers, batcher, request(org, List.of(), "k", DATA));

            gate.open.countDown();

            assertThat(result(blocked).executionIds()).hasSize(1);
            assertThat(result(good).executionIds()).hasSize(1);
            assertThatThrownBy(() -> result(bad)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            Acceptance k = result(keyed);
            assertThat(k.duplicate()).isFalse();
            assertThat(result(keyedAgain)).isEqualTo(new Acceptance(k.executionIds(), true));
            assertThat(gate.connections).as("the blocked one, the failed batch, then each of its four alone").hasValue(6);
            assertThat(eventsOf(kind, org)).isEqualTo(3);
            assertThat(executionsOf(kind, org)).isEqualTo(3);
        } finally {
            gate.open.countDown();
            batcher.close();
            callers.shutdownNow();
        }
    }

    @OnBothDatabases
    void closeFailsWhatIsStillQueuedAndRefusesNewRequests(DbKind kind) throws Exception {
        fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        Gate gate = new Gate(db(kind).dataSource());
        IntakeBatcher batcher = new IntakeBatcher(gate.dataSource(), 1, 256);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Future<Acceptance> blocked = callers.submit(() -> batcher.accept(request(org, List.of(), null, DATA)));
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("committer at the gate").isTrue();
            Future<Acceptance> queued1 = submitQueued(callers, batcher, request(org, List.of(), null, DATA));
            Future<Acceptance> queued2 = submitQueued(callers, batcher, request(org, List.of(), "k", DATA));

            batcher.close();

            assertThatThrownBy(() -> result(blocked)).hasCauseInstanceOf(IllegalStateException.class);
            for (Future<Acceptance> f : List.of(queued1, queued2)) {
                assertThatThrownBy(() -> result(f)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
            }
            assertThatThrownBy(() -> batcher.accept(request(org, List.of(), null, DATA)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("shutting down");
            assertThat(eventsOf(kind, org)).isZero();
        } finally {
            gate.open.countDown();
            batcher.close();
            callers.shutdownNow();
        }

        ExecutionStoreImpl closedStore = new ExecutionStoreImpl(db(kind));
        closedStore.close();
        assertThatThrownBy(() -> closedStore.intake(org, WEBHOOK, List.of(), null, DATA))
                .isInstanceOf(IllegalStateException.class);
    }

    @OnBothDatabases
    void aCommitWhoseAnswerIsLostIsAnUnknownOutcomeAndAResendWithItsKeyRunsNothingTwice(DbKind kind) {
        fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        Gate gate = new Gate(db(kind).dataSource()).withoutGate().breakingCommitOf(1);
        IntakeBatcher batcher = new IntakeBatcher(gate.dataSource(), 1, 256);
        try {
            assertThatThrownBy(() -> batcher.accept(request(org, List.of(), "delivery-1", DATA)))
                    .isInstanceOf(OutcomeUnknownException.class);
            assertThat(executionsOf(kind, org)).as("the server did commit").isEqualTo(1);

            Acceptance resent = batcher.accept(request(org, List.of(), "delivery-1", DATA));

            assertThat(resent.duplicate()).isTrue();
            assertThat(resent.executionIds()).containsExactly(
                    on(kind).queryString("select id from df_execution where org_id = ?", org));
            assertThat(executionsOf(kind, org)).isEqualTo(1);
        } finally {
            batcher.close();
        }
    }

    @OnBothDatabases
    void whenABatchCommitHasAnUnknownOutcomeNoRequestIsWrittenAgain(DbKind kind) throws Exception {
        fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        Gate gate = new Gate(db(kind).dataSource()).breakingCommitOf(2);
        IntakeBatcher batcher = new IntakeBatcher(gate.dataSource(), 1, 256);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            Future<Acceptance> blocked = callers.submit(() -> batcher.accept(request(org, List.of(), null, DATA)));
            assertThat(gate.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("committer at the gate").isTrue();
            Future<Acceptance> unkeyed = submitQueued(callers, batcher, request(org, List.of(), null, DATA));
            Future<Acceptance> keyed = submitQueued(callers, batcher, request(org, List.of(), "k", DATA));

            gate.open.countDown();

            assertThat(result(blocked).executionIds()).hasSize(1);
            for (Future<Acceptance> f : List.of(unkeyed, keyed)) {
                assertThatThrownBy(() -> result(f)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(OutcomeUnknownException.class);
            }
            assertThat(gate.connections).as("the blocked one and the batch, no retries").hasValue(2);
            assertThat(executionsOf(kind, org)).as("each written once, by the batch").isEqualTo(3);
        } finally {
            gate.open.countDown();
            batcher.close();
            callers.shutdownNow();
        }
    }

    @OnBothDatabases
    void aFailureBeforeTheCommitIsNotAnUnknownOutcome(DbKind kind) {
        fresh(kind);
        String org = newOrganization(on(kind));
        enabledWorkflow(kind, org);
        IntakeBatcher batcher = new IntakeBatcher(db(kind).dataSource(), 1, 256);
        try {
            // data is NOT NULL: the insert fails, the transaction rolls back, nothing was written.
            assertThatThrownBy(() -> batcher.accept(request(org, List.of(), "k", null)))
                    .isInstanceOf(IllegalStateException.class).isNotInstanceOf(OutcomeUnknownException.class);
            assertThat(eventsOf(kind, org)).isZero();
        } finally {
            batcher.close();
        }
    }

    private static IntakeBatcher.Request request(String org, List<String> workflowIds, String dedupeKey, String data) {
        return new IntakeBatcher.Request(org, WEBHOOK, workflowIds, dedupeKey, data);
    }

    /** Submits from another thread and returns once the request is in the batcher's queue (its caller is joined). */
    private static Future<Acceptance> submitQueued(ExecutorService callers, IntakeBatcher batcher,
                                                   IntakeBatcher.Request request) {
        Future<Acceptance> future = callers.submit(() -> batcher.accept(request));
        awaitQueued(request.result());
        return future;
    }

    private static Acceptance result(Future<Acceptance> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * A data source whose first connection waits at a gate, so the committer is held while requests queue up
     * behind it; it counts the connections (one per transaction) the batcher takes. Optionally the commit on
     * one connection commits and then fails, as when the connection breaks before the server's answer arrives.
     */
    private static final class Gate implements InvocationHandler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger connections = new AtomicInteger();
        private final DataSource target;
        private int brokenCommitOf;

        Gate(DataSource target) {
            this.target = target;
        }

        Gate withoutGate() {
            open.countDown();
            return this;
        }

        Gate breakingCommitOf(int connection) {
            brokenCommitOf = connection;
            return this;
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(Gate.class.getClassLoader(), new Class<?>[] {DataSource.class},
                    this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            int n = 0;
            if (method.getName().equals("getConnection")) {
                n = connections.incrementAndGet();
                if (n == 1) {
                    entered.countDown();
                    try {
                        if (!open.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                            throw new SQLException("the gate never opened");
                        }
                    } catch (InterruptedException e) {
                        // Like a blocking call that notices the interrupt: keep the flag, fail the call.
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted at the gate", e);
                    }
                }
            }
            Object result = call(target, method, args);
            return n != 0 && n == brokenCommitOf ? commitThenFail((Connection) result) : result;
        }

        private static Connection commitThenFail(Connection c) {
            return (Connection) Proxy.newProxyInstance(Gate.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        Object result = call(c, method, args);
                        if (method.getName().equals("commit")) {
                            throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                        }
                        return result;
                    });
        }

        private static Object call(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
