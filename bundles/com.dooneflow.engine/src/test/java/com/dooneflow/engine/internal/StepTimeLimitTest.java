package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.engine.internal.EngineFakes.FakeConnectorRegistry;
import com.dooneflow.engine.internal.EngineFakes.FakeExecutionStore;
import com.dooneflow.engine.internal.EngineFakes.FakeHandler;
import com.dooneflow.engine.internal.EngineFakes.FakeSecretVault;
import com.dooneflow.engine.internal.EngineFakes.FakeWorkflowStore;

/**
 * Steps longer than the lease: the heartbeat keeps the claim alive, a step that outlives its limit is stopped and
 * recorded once as timed out (never repeated forever), and an execution taken over from a vanished holder counts
 * the lost attempt. The clock is driven by the test; the worker runs on its own thread as in the engine.
 */
class StepTimeLimitTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final TypeDescriptor SLOW = action("slow.call",
            ParameterDescriptor.of("seconds", "Seconds", ParameterType.INTEGER));

    private final AtomicLong nanos = new AtomicLong();
    private final FakeExecutionStore store = new FakeExecutionStore();
    private final FakeWorkflowStore workflows = new FakeWorkflowStore();
    private final FakeConnectorRegistry registry = new FakeConnectorRegistry();
    private final StepRunner runner = new StepRunner(store, workflows, registry, new FakeSecretVault(), LEASE,
            Duration.ofSeconds(30), null, Duration.ofSeconds(100), nanos::get);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private Thread worker;

    @AfterEach
    void stopWorker() throws InterruptedException {
        release.countDown();
        if (worker != null) {
            worker.join(5000);
        }
    }

    /** A handler that runs until released, with the limit its parameter asks for. */
    private final class SlowHandler extends FakeHandler {
        private final boolean ignoresInterrupts;

        SlowHandler(boolean ignoresInterrupts) {
            super(SLOW, c -> ActionResult.ok(Map.of("done", true)));
            this.ignoresInterrupts = ignoresInterrupts;
        }

        @Override
        public ActionResult execute(ActionContext context) throws Exception {
            super.execute(context);
            while (true) {
                try {
                    release.await();
                    return ActionResult.ok(Map.of("done", true));
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    if (!ignoresInterrupts) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public Duration timeout(Map<String, Object> params) {
            return Duration.ofSeconds(((Number) params.get("seconds")).longValue());
        }
    }

    private void workflow(int seconds, Integer maxAttempts) {
        workflows.putDefinition("wf", 1, Definitions.write(new Definitions.Stored(
                new StepSpec("webhook", map("path", "p"), null),
                List.of(new StepSpec("slow.call", map("seconds", seconds),
                        maxAttempts == null ? null : new RetryPolicy(maxAttempts, 1000L, null))))));
    }

    private static Claim claim(int attempts, boolean interrupted) {
        Instant now = Instant.now();
        return new Claim(new ExecutionRow("exec", "org", "wf", 1, "running", "webhook", "{}", null, 0, null, null,
                now, now, now, null), "lease", attempts, interrupted);
    }

    private void runInBackground(Claim claim) {
        worker = new Thread(() -> runner.run(claim), "test-worker");
        worker.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> runner.keeper().size() == 1 && !registryHandler().seen.isEmpty());
    }

    private FakeHandler registryHandler() {
        return (FakeHandler) registry.actionHandler("slow.call").orElseThrow();
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        runner.keeper().tick();
    }

    @Test
    void theHeartbeatRenewsTheClaimWhileAStepRunsLongerThanTheLease() throws InterruptedException {
        registry.with(new SlowHandler(false));
        workflow(90, null);
        runInBackground(claim(0, false));

        advance(Duration.ofSeconds(19));
        assertThat(store.calls("renew")).isEmpty();
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(21)); // 82 s after the claim in all, beyond the 60 s lease
        }
        assertThat(store.calls("renew")).hasSize(3).allSatisfy(c -> assertThat(c.lease()).isEqualTo(LEASE));

        release.countDown();
        worker.join(5000);
        assertThat(store.labels()).containsExactly("renew", "renew", "renew", "stepSucceeded:0", "succeeded");
        assertThat(interrupted).isFalse();
    }

    @Test
    void aStepPastItsLimitIsStoppedAndRecordedOnceAsTimedOutThenRetried() throws InterruptedException {
        registry.with(new SlowHandler(false));
        workflow(90, null);
        runInBackground(claim(0, false));

        advance(Duration.ofSeconds(94)); // the limit is 90 s plus 5 s of grace
        assertThat(store.calls("stepRetry")).isEmpty();
        advance(Duration.ofSeconds(2));

        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isAlive());
        assertThat(interrupted).isTrue();
        FakeExecutionStore.Call retry = store.only("stepRetry");
        assertThat(retry.error()).isEqualTo("slow.call did not finish within 90 s and was stopped; its outcome is "
                + "unknown (it may have taken effect)");
        assertThat(retry.at()).isAfter(Instant.now());
        assertThat(store.calls("stepSucceeded")).isEmpty();
        assertThat(runner.keeper().size()).isZero();
    }

    @Test
    void aStepThatIgnoresInterruptionIsRecordedAsTimedOutAnywayAndItsLateResultIsDropped() throws InterruptedException {
        registry.with(new SlowHandler(true));
        workflow(10, 2);
        runInBackground(claim(1, false)); // the second and last attempt

        advance(Duration.ofSeconds(16));

        FakeExecutionStore.Call failed = store.only("stepFailed");
        assertThat(failed.error()).isEqualTo("slow.call did not finish within 10 s and was stopped; its outcome is "
                + "unknown (it may have taken effect) (gave up after 2 attempts)");
        assertThat(worker.isAlive()).isTrue();

        advance(Duration.ofSeconds(60)); // no renewal for a settled attempt
        release.countDown();
        worker.join(5000);
        assertThat(store.labels()).containsExactly("stepFailed:0");
    }

    @Test
    void theEngineCapsWhatAnActionAsksFor() throws InterruptedException {
        registry.with(new SlowHandler(false));
        workflow(100_000, null);
        runInBackground(claim(0, false));

        advance(Duration.ofSeconds(106)); // capped at 100 s (maxStep), plus grace

        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isAlive());
        assertThat(store.only("stepRetry").error()).startsWith("slow.call did not finish within 100 s");
    }

    @Test
    void aCancellationOrALostLeaseInterruptsTheRunningStep() throws InterruptedException {
        registry.with(new SlowHandler(false));
        workflow(90, null);
        runInBackground(claim(0, false));
        store.renewResult = false;

        advance(Duration.ofSeconds(21));

        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isAlive());
        assertThat(interrupted).isTrue();
        // The attempt's write: a cancelled execution ends there, a lost lease makes it change nothing.
        assertThat(store.labels()).containsExactly("renew", "stepRetry:0");
    }

    @Test
    void cancellingOnThisNodeInterruptsTheStepAtOnce() throws InterruptedException {
        registry.with(new SlowHandler(false));
        workflow(90, null);
        runInBackground(claim(0, false));

        assertThat(runner.keeper().interrupt("another")).isFalse();
        assertThat(runner.keeper().interrupt("exec")).isTrue();

        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isAlive());
        assertThat(interrupted).isTrue();
        assertThat(store.labels()).containsExactly("stepRetry:0");
    }

    @Test
    void whatAStepRegisteredToStopItIsCalledWhenItIsCancelled() throws InterruptedException {
        CountDownLatch aborted = new CountDownLatch(1);
        registry.with(new FakeHandler(SLOW, c -> {
            c.onStop(aborted::countDown); // like an HTTP request's abort: no interrupt reaches a socket read
            boolean stopped = false;
            while (!stopped) {
                try {
                    stopped = aborted.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            }
            return ActionResult.retry("the request was aborted", null);
        }));
        workflow(90, null);
        runInBackground(claim(0, false));

        assertThat(runner.keeper().interrupt("exec")).isTrue();

        await().atMost(5, TimeUnit.SECONDS).until(() -> !worker.isAlive());
        assertThat(aborted.getCount()).isZero();
        assertThat(store.only("stepRetry").error()).isEqualTo("the request was aborted");
    }

    @Test
    void anExecutionTakenOverFromAVanishedHolderCountsTheLostAttemptThenTriesAgain() {
        registry.with(FakeHandler.ok(SLOW, Map.of()));
        workflow(5, 3);

        runner.run(claim(1, true));

        assertThat(store.labels()).containsExactly("attemptLost:0", "stepSucceeded:0", "succeeded");
        assertThat(store.only("attemptLost").error()).contains("outcome is unknown");
        assertThat(registryHandler().last().attempt()).isEqualTo(3);
    }

    @Test
    void aStepWhoseAttemptsKeepVanishingFailsInsteadOfRepeatingForever() {
        registry.with(FakeHandler.ok(SLOW, Map.of()));
        workflow(5, 3);

        runner.run(claim(2, true));

        assertThat(store.labels()).containsExactly("stepFailed:0");
        assertThat(store.only("stepFailed").error()).endsWith("(gave up after 3 attempts)");
        assertThat(registryHandler().seen).isEmpty();
    }
}
