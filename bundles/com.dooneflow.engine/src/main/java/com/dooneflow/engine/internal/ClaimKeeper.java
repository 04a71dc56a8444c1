package com.dooneflow.engine.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionStore;

/**
 * Keeps this node's claims alive while their steps run, and holds every step to its time limit. A heartbeat
 * ({@link #tick}) renews each claim a third of a lease after its last renewal, so a step may run longer than the
 * lease without another node taking the execution over; a renewal that fails (the lease was lost, or the
 * execution cancelled) interrupts the running attempt. An attempt past its deadline is settled here: its thread
 * is interrupted and the attempt recorded as timed out, even when the action never returns.
 */
final class ClaimKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimKeeper.class);

    /** Records an attempt that outlived its deadline (called on the heartbeat thread). */
    interface TimeoutRecorder {
        void timedOut(Held held, Attempt attempt);
    }

    private final ExecutionStore store;
    private final Duration lease;
    private final long renewEveryNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final TimeoutRecorder recorder;

    ClaimKeeper(ExecutionStore store, Duration lease, LongSupplier nanoTime, TimeoutRecorder recorder) {
        this.store = store;
        this.lease = lease;
        this.renewEveryNanos = lease.toNanos() / 3;
        this.nanoTime = nanoTime;
        this.recorder = recorder;
    }

    /** Starts keeping a claim alive for the calling thread, which runs it. */
    Held hold(Claim claim) {
        Held h = new Held(claim, Thread.currentThread(), nanoTime.getAsLong());
        held.put(claim.execution().id(), h);
        return h;
    }

    void release(Held h) {
        held.remove(h.claim.execution().id(), h);
    }

    /** Renews {@code h}'s lease now; false when it was lost or the execution was cancelled. */
    boolean renew(Held h) {
        boolean ok = store.renew(h.claim, lease);
        h.renewedAt = nanoTime.getAsLong();
        return ok;
    }

    /** Interrupts the running attempt of an execution held on this node (it was cancelled); false if none. */
    boolean interrupt(String executionId) {
        Held h = held.get(executionId);
        return h != null && h.interruptAttempt();
    }

    int size() {
        return held.size();
    }

    /** One heartbeat: settles attempts past their deadline, renews the claims that are due. */
    void tick() {
        long now = nanoTime.getAsLong();
        for (Held h : held.values()) {
            Attempt overdue = h.settleIfOverdue(now);
            if (overdue != null) {
                try {
                    recorder.timedOut(h, overdue);
                } catch (RuntimeException e) {
                    LOG.error("Could not record the timeout of execution {}", h.claim.execution().id(), e);
                }
                continue;
            }
            if (!h.settled() && now - h.renewedAt >= renewEveryNanos) {
                try {
                    if (!renew(h)) {
                        LOG.info("Execution {} was cancelled or its claim lost; interrupting its step",
                                h.claim.execution().id());
                        h.interruptAttempt();
                    }
                } catch (RuntimeException e) {
                    // The database is away: the lease may run out; fencing keeps any later write harmless.
                    LOG.warn("Could not renew the claim of execution {}", h.claim.execution().id(), e);
                }
            }
        }
    }

    /** One attempt of one step, with its deadline on the {@link #nanoTime} clock. */
    record Attempt(int index, String type, String input, int number, RetryPolicy policy, long deadline, Duration limit) {
    }

    /** A claim this node runs, and the attempt its thread is making, if any. */
    static final class Held {
        final Claim claim;
        private final Thread thread;
        private volatile long renewedAt;
        private Attempt attempt;
        private Runnable stopper;
        /** The heartbeat settled the claim's last attempt (timed out): nothing more is written for it here. */
        private boolean settled;

        Held(Claim claim, Thread thread, long renewedAt) {
            this.claim = claim;
            this.thread = thread;
            this.renewedAt = renewedAt;
        }

        synchronized void begin(Attempt a) {
            attempt = a;
            stopper = null;
        }

        /** What stops the running attempt besides an interrupt (see ActionContext#onStop). */
        synchronized void onStop(Runnable stop) {
            stopper = stop;
        }

        /**
         * Ends the attempt on its own thread; false when the heartbeat already settled it as timed out, and then
         * the result must be dropped. Clears any interrupt meant for the attempt.
         */
        boolean end() {
            boolean mine;
            synchronized (this) {
                mine = !settled;
                attempt = null;
                stopper = null;
            }
            Thread.interrupted();
            return mine;
        }

        synchronized boolean settled() {
            return settled;
        }

        private synchronized Attempt settleIfOverdue(long now) {
            if (attempt == null || settled || now - attempt.deadline() < 0) {
                return null;
            }
            settled = true;
            stop();
            return attempt;
        }

        private synchronized boolean interruptAttempt() {
            if (attempt == null || settled) {
                return false;
            }
            stop();
            return true;
        }

        private void stop() {
            thread.interrupt();
            if (stopper != null) {
                try {
                    stopper.run();
                } catch (RuntimeException e) {
                    LOG.warn("Stopping a step of execution {} failed", claim.execution().id(), e);
                }
            }
        }
    }
}
