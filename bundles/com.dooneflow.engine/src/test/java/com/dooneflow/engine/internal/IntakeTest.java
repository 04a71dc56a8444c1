package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore.LeasedIntake;
import com.dooneflow.testing.InMemoryStepJournal;

class IntakeTest {

    /** An execution store whose intake hands out one new execution id per event. */
    static final class CountingStore extends EngineFakes.FakeExecutionStore {
        int accepted;

        @Override
        public TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds,
                                             String dedupeKey, String dataJson) {
            accepted++;
            return new TriggerSink.Acceptance(List.of("exec-" + accepted), false);
        }

        /** Workflow "wf" is stored in version 2. */
        @Override
        public TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds,
                                             String dedupeKey, String dataJson, boolean test,
                                             Map<String, Integer> workflowVersions) {
            Integer routed = workflowVersions.get("wf");
            if (routed != null && routed != 2) {
                return TriggerSink.Acceptance.staleRouting();
            }
            return intake(orgId, triggerType, workflowIds, dedupeKey, dataJson);
        }
    }

    private final CountingStore store = new CountingStore();
    private final InMemoryStepJournal journal = new InMemoryStepJournal();
    private final Intake intake = new Intake(store, new EngineFakes.FakeWorkflowStore(), journal);

    private TriggerSink openSource(String type) {
        return open(intake, type);
    }

    /** Opens a trigger source of {@code type} on {@code intake} and returns the sink it was given. */
    static TriggerSink open(Intake intake, String type) {
        AtomicReference<TriggerSink> sink = new AtomicReference<>();
        intake.addTriggerSource(new TriggerSource() {
            @Override
            public TypeDescriptor descriptor() {
                return new TypeDescriptor(type, TypeDescriptor.Kind.TRIGGER, type, null, List.of());
            }

            @Override
            public void open(TriggerSink s) {
                sink.set(s);
            }

            @Override
            public void close() {
                sink.set(null);
            }
        }, Map.of(TriggerSource.TYPE, type));
        return sink.get();
    }

    @Test
    void aBurstWhoseCallersQueueForTheirCommitMakesTheIntakeBusy() {
        assertThat(intake.busy()).isFalse();
        long queued = 30_000_000L; // 30 ms each: at 60 in a quarter of a second, about seven callers waiting at once
        for (int i = 0; i < Intake.BUSY_PER_WINDOW + 10; i++) {
            intake.countAccepted(queued);
        }
        assertThat(intake.busy()).isTrue();
    }

    @Test
    void aStreamTheIntakeTakesWithoutAQueueIsNoBurst() {
        long committedAtOnce = 2_000_000L; // 2 ms each: under one caller waiting on average
        for (int i = 0; i < 4 * Intake.BUSY_PER_WINDOW; i++) {
            intake.countAccepted(committedAtOnce);
        }
        assertThat(intake.busy()).as("many, but no queue").isFalse();
    }

    @Test
    void aFewSlowCommitsAreNoBurst() {
        for (int i = 0; i < Intake.BUSY_PER_WINDOW / 2; i++) {
            intake.countAccepted(Intake.WINDOW_NANOS);
        }
        assertThat(intake.busy()).as("a queue, but only a few callers a second").isFalse();
    }

    @Test
    void eventsAcceptedThroughASinkAreCounted() {
        TriggerSink sink = openSource("webhook");
        for (int i = 0; i < Intake.BUSY_PER_WINDOW; i++) {
            sink.accept(new TriggerEvent("org", "webhook", List.of(), null, Map.of()));
        }
        assertThat(intake.busy()).as("accepted at once by the in-memory store: no queue").isFalse();

        intake.countAccepted(Intake.PRESSED_WAITING * Intake.WINDOW_NANOS); // one caller that waited for all the others
        assertThat(intake.busy()).as("the sink's events made the count").isTrue();
    }

    @Test
    void theVersionsASourceRoutedByReachTheStoreAndAStaleAcceptanceWakesNobody() throws InterruptedException {
        TriggerSink sink = openSource("webhook");
        long before = intake.signals();

        TriggerSink.Acceptance stale = sink.accept(new TriggerEvent("org", "webhook", List.of("wf"), null, Map.of(),
                false, Map.of("wf", 1)));

        assertThat(stale).isEqualTo(TriggerSink.Acceptance.staleRouting());
        assertThat(intake.awaitWork(before, 0)).as("no work was committed").isEqualTo(before);
        assertThat(store.accepted).isZero();
        assertThat(sink.accept(new TriggerEvent("org", "webhook", List.of("wf"), null, Map.of(), false,
                Map.of("wf", 2))).executionIds()).containsExactly("exec-1");
    }

    @Test
    void acceptingWakesTheWorkersAndASourceOnlyAcceptsItsOwnType() throws InterruptedException {
        TriggerSink sink = openSource("webhook");
        long before = intake.signals();
        assertThat(sink.accept(new TriggerEvent("org", "webhook", List.of(), null, Map.of())).executionIds())
                .containsExactly("exec-1");
        assertThat(intake.awaitWork(before, 0)).isGreaterThan(before);
        assertThatThrownBy(() -> sink.accept(new TriggerEvent("org", "email.imap", List.of(), null, Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.accepted).isEqualTo(1);
    }
    // ---------------------------------------------------------------- handing executions to a free local worker

    /**
     * A store that leases the execution when asked to, answers a repeated delivery (nothing leased) with
     * {@code leaseNothing}, or fails with {@code failing}.
     */
    static final class LeasingStore extends EngineFakes.FakeExecutionStore {
        final List<String> leasedTo = new java.util.ArrayList<>();
        boolean leaseNothing;
        boolean failing;

        @Override
        public LeasedIntake intakeLeased(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                         String dataJson, boolean test, Map<String, Integer> workflowVersions,
                                         String node, Duration lease) {
            if (failing) {
                throw new IllegalStateException("database down");
            }
            leasedTo.add(node);
            String id = "exec-" + leasedTo.size();
            Optional<Claim> claim = node == null || leaseNothing ? Optional.empty()
                    : Optional.of(new Claim(new ExecutionRow(id, orgId, "wf", 1, "running", triggerType, dataJson, null,
                            0, null, null, null, null, null, null), node + ":token", 0));
            return new LeasedIntake(new TriggerSink.Acceptance(List.of(id), leaseNothing), claim);
        }
    }

    /** This node's workers as the intake sees them: {@code free} of them, and what was handed to them. */
    static final class Workers implements Intake.LocalRun {
        int free = 1;
        final List<Claim> ran = new java.util.ArrayList<>();
        int unreserved;

        @Override
        public String node() {
            return "node-1";
        }

        @Override
        public Duration lease() {
            return Duration.ofSeconds(60);
        }

        @Override
        public boolean reserve(String organizationId) {
            if (free == 0) {
                return false;
            }
            free--;
            return true;
        }

        @Override
        public void run(Claim claim) {
            ran.add(claim);
        }

        @Override
        public void unreserve(String organizationId) {
            free++;
            unreserved++;
        }
    }

    private final LeasingStore leasing = new LeasingStore();
    private final Intake local = new Intake(leasing, new EngineFakes.FakeWorkflowStore(), journal);
    private final Workers workers = new Workers();

    private TriggerSink localSink() {
        local.runLocally(workers);
        return open(local, "webhook");
    }

    private static TriggerEvent event() {
        return new TriggerEvent("org", "webhook", List.of(), null, Map.of("n", 1));
    }

    @Test
    void untilTheDispatcherHasFoundTheQueueEmptyEveryExecutionIsQueued() throws InterruptedException {
        TriggerSink sink = localSink();
        long before = local.signals();

        sink.accept(event());

        assertThat(leasing.leasedTo).as("work queued before this node started may be waiting").containsExactly((String) null);
        assertThat(workers.ran).isEmpty();
        assertThat(local.awaitWork(before, 0)).as("the dispatcher is woken").isGreaterThan(before);
    }

    @Test
    void withTheQueueEmptyAndAWorkerFreeTheExecutionIsLeasedAndRunHereWithoutWakingTheDispatcher()
            throws InterruptedException {
        TriggerSink sink = localSink();
        local.queueFoundEmpty(local.workAdded());
        long before = local.signals();

        TriggerSink.Acceptance acceptance = sink.accept(event());

        assertThat(leasing.leasedTo).containsExactly("node-1");
        assertThat(workers.ran).extracting(c -> c.execution().id()).containsExactly("exec-1");
        assertThat(workers.ran.get(0).execution().triggerData()).isEqualTo("{\"n\":1}");
        assertThat(acceptance.executionIds()).containsExactly("exec-1");
        assertThat(local.awaitWork(before, 0)).as("nothing queued: a claim would find nothing").isEqualTo(before);

        // The only worker is taken: the next one is queued, and from then on the queue may hold work.
        sink.accept(event());
        assertThat(leasing.leasedTo).containsExactly("node-1", null);
        assertThat(local.awaitWork(before, 0)).isGreaterThan(before);
        workers.free = 1;
        sink.accept(event());
        assertThat(leasing.leasedTo).as("queued work is ahead of it").containsExactly("node-1", null, null);
    }

    @Test
    void workSignalledWhileTheDispatcherClaimedKeepsTheQueueOpen() {
        TriggerSink sink = localSink();
        long added = local.workAdded();
        local.signal(); // e.g. an execution queued by another caller while the claim ran

        local.queueFoundEmpty(added);
        sink.accept(event());

        assertThat(leasing.leasedTo).containsExactly((String) null);
    }

    @Test
    void anEndedExecutionWakesTheDispatcherOnlyWhileWorkMayBeQueued() throws InterruptedException {
        localSink();
        long before = local.signals();
        local.executionEnded();
        assertThat(local.awaitWork(before, 0)).as("work may be queued").isGreaterThan(before);

        local.queueFoundEmpty(local.workAdded());
        before = local.signals();
        local.executionEnded();
        assertThat(local.awaitWork(before, 0)).as("the queue was found empty").isEqualTo(before);
    }

    @Test
    void aReservedWorkerIsGivenBackWhenNothingIsLeasedOrTheIntakeFails() {
        TriggerSink sink = localSink();
        local.queueFoundEmpty(local.workAdded());
        leasing.leaseNothing = true; // a repeated delivery, say

        sink.accept(event());
        assertThat(workers.unreserved).isEqualTo(1);
        assertThat(workers.free).isEqualTo(1);

        leasing.failing = true;
        assertThatThrownBy(() -> sink.accept(event())).hasMessage("database down");
        assertThat(workers.unreserved).isEqualTo(2);
        assertThat(workers.free).isEqualTo(1);
        assertThat(workers.ran).isEmpty();
    }

    @Test
    void stoppedWorkersAreHandedNothingButTheirSuccessorsAre() {
        TriggerSink sink = localSink();
        local.queueFoundEmpty(local.workAdded());
        Workers successor = new Workers();
        local.runLocally(successor);

        local.stopRunningLocally(workers); // the old workers stop after their successor started
        sink.accept(event());
        assertThat(successor.ran).hasSize(1);

        local.stopRunningLocally(successor);
        sink.accept(event());
        assertThat(leasing.leasedTo).containsExactly("node-1", null);
    }
}
