package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.ClusterService;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore.LeasedIntake;
import com.dooneflow.engine.internal.EngineFakes.FakeConnectorRegistry;
import com.dooneflow.engine.internal.EngineFakes.FakeExecutionStore;
import com.dooneflow.engine.internal.EngineFakes.FakeSecretVault;
import com.dooneflow.engine.internal.EngineFakes.FakeWorkflowStore;
import com.dooneflow.testing.InMemoryClusterService;
import com.dooneflow.testing.InMemoryStepJournal;
import com.dooneflow.testing.RecordingEventLog;

/**
 * The execution worker claims only on a node with the worker role, and says so to the cluster service. While triggers
 * pour in it leaves the CPU to the intake (a quarter of the workers run) — but only until an execution has waited
 * {@code burstLagMillis}: then all of them run, so a sustained load cannot grow the backlog forever. While a worker is
 * free and nothing is queued, it runs what the intake leased to this node, without a claim.
 */
class ExecutionWorkerTest {

    private final CountingStore store = new CountingStore();
    private ExecutionWorker worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void aWorkerNodeClaimsAndReportsThatItIsClaiming() throws InterruptedException {
        InMemoryClusterService cluster = new InMemoryClusterService();
        worker = worker(cluster);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.claims.get() > 0 && cluster.claiming());
        worker.addActionHandler(handler(), Map.of(ActionHandler.TYPE, "acme.echo"));
        assertThat(store.wakes.get()).as("executions waiting for the type are woken").isEqualTo(1);

        worker.stop();
        worker = null;
        assertThat(cluster.claiming()).as("stopped: no longer claiming").isFalse();
    }

    @Test
    void aNodeWithoutTheWorkerRoleNeverClaims() {
        InMemoryClusterService cluster = new InMemoryClusterService("node-1", EnumSet.of(NodeRole.API, NodeRole.POLLER));
        worker = worker(cluster);
        worker.addActionHandler(handler(), Map.of(ActionHandler.TYPE, "acme.echo"));

        // A worker claims at once (the test above); this one does not within several poll intervals.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> store.claims.get() == 0);
        assertThat(cluster.claiming()).isFalse();
        assertThat(store.wakes.get()).as("it runs nothing, so it wakes nothing").isZero();
    }

    @Test
    void duringABurstOfFreshWorkOnlyTheBurstWorkersRun() {
        BacklogStore store = new BacklogStore(Duration.ZERO);
        worker = duringABurst(store);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.size() >= 20);
        assertThat(new ArrayList<>(store.asked)).as("claims asked for at most burstWorkers (16 / 4)")
                .allSatisfy(max -> assertThat(max).isLessThanOrEqualTo(4));
    }

    @Test
    void whenTheBacklogHasWaitedTooLongEveryWorkerRuns() {
        BacklogStore store = new BacklogStore(Duration.ofMinutes(1));
        worker = duringABurst(store);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.stream().anyMatch(max -> max > 4));
        assertThat(store.asked.peek()).as("the first claim, before anything was seen waiting").isEqualTo(4);
    }

    @Test
    void anOrganizationsShareCappingTheClaimsDoesNotHideThatTheBacklogIsBehind() {
        BacklogStore store = new BacklogStore(Duration.ofMinutes(1)).capped(3);
        worker = duringABurst(store);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.stream().anyMatch(max -> max > 4));
    }

    @Test
    void withWorkLeftOverFreedWorkersAreClaimedTogetherNotOneByOne() {
        BacklogStore store = new BacklogStore(Duration.ZERO).holdingSteps();
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        worker = worker(store, workflows, new InMemoryClusterService(),
                new Intake(store, workflows, new InMemoryStepJournal()), Map.of("claimBatchMillis", 60_000));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.size() == 1);
            assertThat(store.asked.peek()).as("every worker (16 x 4) at once").isEqualTo(64);

            store.finishSteps(1);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> store.asked.size() == 1);
            store.finishSteps(15);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.size() == 2);
            assertThat(new ArrayList<>(store.asked).get(1)).as("a quarter of the workers, claimed together").isEqualTo(16);
        } finally {
            store.finishSteps(10_000);
        }
    }

    @Test
    void anExecutionLeasedAtIntakeRunsOnAFreeWorkerOfThisNodeWithoutAClaim() {
        LocalStore store = new LocalStore();
        InMemoryClusterService cluster = new InMemoryClusterService();
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        Intake intake = new Intake(store, workflows, new InMemoryStepJournal());
        worker = worker(store, workflows, cluster, intake);
        TriggerSink sink = IntakeTest.open(intake, "webhook");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.claims.get() > 0); // the queue is found empty

        sink.accept(new TriggerEvent("org-1", "webhook", List.of(), null, Map.of()));

        assertThat(store.leasedTo).containsExactly(cluster.nodeId());
        // No workflow version behind it: the runner ends it at once, which shows it ran.
        await().atMost(Duration.ofSeconds(5)).until(() -> store.calls("stepFailed").size() == 1);
        assertThat(store.only("stepFailed").claim().execution().id()).isEqualTo("exec-1");
    }

    @Test
    void theIntakeLeasesOnlyWhileAWorkerIsFreeAndNeverOnANodeWithoutTheWorkerRole() {
        LocalStore store = new LocalStore().holdingSteps();
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        Intake intake = new Intake(store, workflows, new InMemoryStepJournal());
        worker = worker(store, workflows, new InMemoryClusterService(), intake, Map.of("workers", 1, "maxWorkers", 1));
        TriggerSink sink = IntakeTest.open(intake, "webhook");
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> store.claims.get() > 0);
            sink.accept(new TriggerEvent("org-1", "webhook", List.of(), null, Map.of()));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.steps.hasQueuedThreads());

            sink.accept(new TriggerEvent("org-1", "webhook", List.of(), null, Map.of()));
            assertThat(store.leasedTo).as("its only worker is busy: queued").containsExactly("node-1", null);
        } finally {
            store.steps.release(10);
        }

        LocalStore apiOnly = new LocalStore();
        Intake apiIntake = new Intake(apiOnly, workflows, new InMemoryStepJournal());
        ExecutionWorker api = worker(apiOnly, workflows,
                new InMemoryClusterService("node-2", EnumSet.of(NodeRole.API)), apiIntake);
        try {
            apiIntake.queueFoundEmpty(apiIntake.workAdded());
            IntakeTest.open(apiIntake, "webhook").accept(new TriggerEvent("org-1", "webhook", List.of(), null, Map.of()));
            assertThat(apiOnly.leasedTo).containsExactly((String) null);
        } finally {
            stopQuietly(api);
        }
    }

    @Test
    void aBacklogHeldBackByAnOrganizationsShareIsClaimedAsWorkersFinishNotAtTheNextPoll() {
        OneOrganizationsBacklog store = new OneOrganizationsBacklog(20);
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        worker = worker(store, workflows, new InMemoryClusterService(),
                new Intake(store, workflows, new InMemoryStepJournal()),
                Map.of("workers", 2, "maxWorkers", 8, "pollMillis", 60_000));

        // Two at a time (the organization's share); only a finished execution's wake-up can claim the next ones.
        await().atMost(Duration.ofSeconds(10)).until(() -> store.calls("stepFailed").size() == 20);
        assertThat(store.largestClaim.get()).isEqualTo(2);
    }

    private static void stopQuietly(ExecutionWorker worker) {
        try {
            worker.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ExecutionWorker worker(ClusterService cluster) {
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        return worker(store, workflows, cluster, new Intake(store, workflows, new InMemoryStepJournal()));
    }

    private static ExecutionWorker worker(FakeExecutionStore store, FakeWorkflowStore workflows, ClusterService cluster,
                                          Intake intake) {
        return worker(store, workflows, cluster, intake, Map.of());
    }

    /** {@code settings} overrides the configuration's defaults by attribute name. */
    private static ExecutionWorker worker(FakeExecutionStore store, FakeWorkflowStore workflows, ClusterService cluster,
                                          Intake intake, Map<String, Object> settings) {
        ExecutionWorker.Config config = (ExecutionWorker.Config) Proxy.newProxyInstance(
                ExecutionWorkerTest.class.getClassLoader(), new Class<?>[] {ExecutionWorker.Config.class},
                (p, m, args) -> switch (m.getName()) {
                    case "pollMillis" -> settings.getOrDefault("pollMillis", 50);
                    case "shutdownSeconds" -> 1;
                    default -> settings.getOrDefault(m.getName(), m.getDefaultValue());
                });
        return new ExecutionWorker(config, store, workflows, new FakeConnectorRegistry(), new FakeSecretVault(),
                cluster, new RecordingEventLog(), intake);
    }

    /** A worker whose intake is always in a burst, on {@code store}. */
    private static ExecutionWorker duringABurst(FakeExecutionStore store) {
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        Intake busyIntake = new Intake(store, workflows, new InMemoryStepJournal()) {
            @Override
            boolean busy() {
                return true;
            }
        };
        return worker(store, workflows, new InMemoryClusterService(), busyIntake);
    }

    private static ActionHandler handler() {
        return (ActionHandler) Proxy.newProxyInstance(ExecutionWorkerTest.class.getClassLoader(),
                new Class<?>[] {ActionHandler.class}, (p, m, args) -> switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "handler";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Counts claims (there is never work) and wake-ups of waiting executions. */
    private static final class CountingStore extends FakeExecutionStore {
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger wakes = new AtomicInteger();

        @Override
        public List<Claim> claim(String node, int max, Duration lease) {
            claims.incrementAndGet();
            return List.of();
        }

        @Override
        public int wakeWaiting(String actionType) {
            wakes.incrementAndGet();
            return 0;
        }
    }

    /** An endless backlog whose executions were accepted {@code waited} ago; records how many each claim asked for. */
    private static final class BacklogStore extends FakeExecutionStore {
        final Queue<Integer> asked = new ConcurrentLinkedQueue<>();
        private final Duration waited;

        private Semaphore steps; // null: steps end at once
        private int cap = Integer.MAX_VALUE;

        BacklogStore(Duration waited) {
            this.waited = waited;
        }

        /** At most {@code most} per claim, as an organization's share caps a claim. */
        BacklogStore capped(int most) {
            cap = most;
            return this;
        }

        /** Each execution's step holds its worker until {@link #finishSteps} lets it end. */
        BacklogStore holdingSteps() {
            steps = new Semaphore(0);
            return this;
        }

        void finishSteps(int count) {
            steps.release(count);
        }

        @Override
        public boolean stepFailed(Claim claim, int index, String type, String input, String error) {
            if (steps != null) {
                try {
                    steps.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.stepFailed(claim, index, type, input, error);
        }

        @Override
        public List<Claim> claim(String node, int max, Duration lease) {
            asked.add(max);
            Instant created = Instant.now().minus(waited);
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i < Math.min(max, cap); i++) {
                // No workflow version behind it: the runner ends it at once, freeing the worker.
                claims.add(new Claim(new ExecutionRow(UUID.randomUUID().toString(), "org-1", "wf-1", 1, "running",
                        "webhook", "{}", null, 0, null, null, created, created, created, null), "token", 0));
            }
            return claims;
        }
    }
    /** Never any queued work; leases what the intake asks it to, recording to which node; steps may be held. */
    private static final class LocalStore extends FakeExecutionStore {
        final AtomicInteger claims = new AtomicInteger();
        final List<String> leasedTo = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore steps; // null: steps end at once

        LocalStore holdingSteps() {
            steps = new Semaphore(0);
            return this;
        }

        @Override
        public List<Claim> claim(String node, int max, Duration lease) {
            claims.incrementAndGet();
            return List.of();
        }

        @Override
        public LeasedIntake intakeLeased(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                         String dataJson, boolean test, Map<String, Integer> workflowVersions,
                                         String node, Duration lease) {
            leasedTo.add(node);
            String id = "exec-" + leasedTo.size();
            Optional<Claim> claim = node == null ? Optional.empty()
                    : Optional.of(new Claim(new ExecutionRow(id, orgId, "wf-1", 1, "running", triggerType, dataJson,
                            null, 0, null, null, null, Instant.now(), Instant.now(), null), node + ":token", 0));
            return new LeasedIntake(new TriggerSink.Acceptance(List.of(id), false), claim);
        }

        @Override
        public boolean stepFailed(Claim claim, int index, String type, String input, String error) {
            if (steps != null) {
                steps.acquireUninterruptibly();
            }
            return super.stepFailed(claim, index, type, input, error);
        }
    }
    /** {@code size} queued executions of one organization, claimed no more than its share at a time. */
    private static final class OneOrganizationsBacklog extends FakeExecutionStore {
        private final AtomicInteger left;
        final AtomicInteger largestClaim = new AtomicInteger();

        OneOrganizationsBacklog(int size) {
            this.left = new AtomicInteger(size);
        }

        @Override
        public synchronized List<Claim> claim(String node, int max, Duration lease, int perOrganization,
                                              Map<String, Integer> running) {
            int n = Math.min(Math.min(max, perOrganization - running.getOrDefault("org-1", 0)), left.get());
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                left.decrementAndGet();
                // No workflow version behind it: the runner ends it at once, freeing the worker.
                claims.add(new Claim(new ExecutionRow(UUID.randomUUID().toString(), "org-1", "wf-1", 1, "running",
                        "webhook", "{}", null, 0, null, null, null, Instant.now(), Instant.now(), null), "token", 0));
            }
            largestClaim.accumulateAndGet(n, Math::max);
            return claims;
        }

        @Override
        public List<Claim> claim(String node, int max, Duration lease) {
            throw new AssertionError("claims pass the organizations' running executions");
        }
    }
}
