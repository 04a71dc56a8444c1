package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.NodeRole;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.engine.internal.EngineFakes.FakeConnectorRegistry;
import com.dooneflow.engine.internal.EngineFakes.FakeExecutionStore;
import com.dooneflow.engine.internal.EngineFakes.FakeSecretVault;
import com.dooneflow.engine.internal.EngineFakes.FakeWorkflowStore;
import com.dooneflow.testing.InMemoryStepJournal;
import com.dooneflow.testing.RecordingEventLog;

/**
 * While triggers pour in, the workers leave the CPU to the intake (a quarter of them run) — but only until an
 * execution has waited {@code burstLagMillis}: then all of them run, so a sustained load cannot grow the backlog forever.
 */
class ExecutionWorkerBurstTest {

    private ExecutionWorker worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void duringABurstOfFreshWorkOnlyTheBurstWorkersRun() {
        BacklogStore store = new BacklogStore(Duration.ZERO);
        worker = worker(store);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.size() >= 20);
        assertThat(new ArrayList<>(store.asked)).as("claims asked for at most burstWorkers (16 / 4)")
                .allSatisfy(max -> assertThat(max).isLessThanOrEqualTo(4));
    }

    @Test
    void whenTheBacklogHasWaitedTooLongEveryWorkerRuns() {
        BacklogStore store = new BacklogStore(Duration.ofSeconds(5));
        worker = worker(store);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.stream().anyMatch(max -> max > 4));
        assertThat(store.asked.peek()).as("the first claim, before anything was seen waiting").isEqualTo(4);
    }

    private ExecutionWorker worker(FakeExecutionStore store) {
        ExecutionWorker.Config config = (ExecutionWorker.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExecutionWorker.Config.class}, (p, m, args) -> switch (m.getName()) {
                    case "pollMillis" -> 50;
                    case "shutdownSeconds" -> 1;
                    default -> m.getDefaultValue();
                });
        FakeWorkflowStore workflows = new FakeWorkflowStore();
        Intake busyIntake = new Intake(store, workflows, new InMemoryStepJournal()) {
            @Override
            boolean busy() {
                return true;
            }
        };
        return new ExecutionWorker(config, store, workflows, new FakeConnectorRegistry(), new FakeSecretVault(),
                new ExecutionWorkerRoleTest.Cluster(EnumSet.allOf(NodeRole.class)), new RecordingEventLog(), busyIntake);
    }

    /** An endless backlog whose executions were accepted {@code waited} ago; records how many each claim asked for. */
    private static final class BacklogStore extends FakeExecutionStore {
        final Queue<Integer> asked = new ConcurrentLinkedQueue<>();
        private final Duration waited;

        BacklogStore(Duration waited) {
            this.waited = waited;
        }

        @Override
        public List<Claim> claim(String node, int max, Duration lease) {
            asked.add(max);
            Instant created = Instant.now().minus(waited);
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                // No workflow version behind it: the runner ends it at once, freeing the worker.
                claims.add(new Claim(new ExecutionRow(UUID.randomUUID().toString(), "org-1", "wf-1", 1, "running",
                        "webhook", "{}", null, 0, null, null, created, created, created, null), "token", 0));
            }
            return claims;
        }
    }
}
