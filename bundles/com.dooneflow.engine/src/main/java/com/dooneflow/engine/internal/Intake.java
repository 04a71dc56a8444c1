package com.dooneflow.engine.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.ExecutionStore.LeasedIntake;
import com.dooneflow.api.store.WorkflowStore;

/**
 * The engine's intake: opens every trigger source with a sink for its type, commits what they accept, and
 * wakes the workers at once instead of letting them find the work at their next poll. While this node has a free
 * worker and no queued work, an execution is committed already leased to this node and handed to that worker
 * ({@link LocalRun}): no claim, no dispatcher in between.
 */
@Component(service = Intake.class)
public class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final ExecutionStore executions;
    private final WorkflowStore workflows;
    private final ExecutionViews views;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Map<TriggerSource, String> sources = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private long signals;
    /** Signals of new due work (the others only wake the dispatcher: a worker is free); written under the lock. */
    private volatile long added;
    /**
     * Due work may be queued that this node has not claimed: new work was signalled since the dispatcher last found
     * the queue empty. Executions are then queued behind it, not handed to a worker at intake.
     */
    private volatile boolean maybeQueued = true;
    private final Condition ended = lock.newCondition();
    /** Executions ended on this node; written under the lock. */
    private volatile long ends;
    private final java.util.concurrent.atomic.AtomicReference<LocalRun> localRun =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** Accepted events per 250 ms window and the time their callers waited, to tell a burst (see {@link #busy()}). */
    private final java.util.concurrent.atomic.AtomicLong windowStart = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger windowCount = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong windowWaitNanos = new java.util.concurrent.atomic.AtomicLong();
    private volatile int lastWindowCount;
    private volatile long lastWindowWaitNanos;
    static final long WINDOW_NANOS = 250_000_000L;
    static final int BUSY_PER_WINDOW = 50;
    /** Callers waiting for their commit at once, on average over a window, from which the intake is pressed. */
    static final int PRESSED_WAITING = 4;
    private final List<Runnable> workflowListeners = new CopyOnWriteArrayList<>();

    @Activate
    public Intake(@Reference ExecutionStore executions, @Reference WorkflowStore workflows,
                  @Reference StepJournal journal) {
        this.executions = executions;
        this.workflows = workflows;
        this.views = new ExecutionViews(executions, journal, workflows);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTriggerSource(TriggerSource source, Map<String, Object> props) {
        Object type = props.get(TriggerSource.TYPE);
        if (type == null) {
            return;
        }
        sources.put(source, type.toString());
        try {
            source.open(new SourceSink(type.toString()));
        } catch (RuntimeException e) {
            LOG.error("Trigger source {} failed to open", type, e);
        }
    }

    void removeTriggerSource(TriggerSource source) {
        if (sources.remove(source) != null) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.warn("Trigger source failed to close", e);
            }
        }
    }

    /** Tells the sources of this type on this node that routing changed. */
    void bindingsChanged(String triggerType) {
        sources.forEach((source, type) -> {
            if (type.equals(triggerType)) {
                source.bindingsChanged();
            }
        });
        workflowListeners.forEach(Runnable::run);
    }

    /** Workflows changed somewhere (maybe on another node): every source on this node refreshes its routing. */
    void bindingsChangedEverywhere() {
        sources.keySet().forEach(TriggerSource::bindingsChanged);
        workflowListeners.forEach(Runnable::run);
    }

    /** {@code listener} runs whenever workflows change, here (after their secrets are written) or on another node. */
    void onWorkflowsChanged(Runnable listener) {
        workflowListeners.add(listener);
    }

    void removeWorkflowsListener(Runnable listener) {
        workflowListeners.remove(listener);
    }

    /** One accepted event whose caller waited {@code waitedNanos} for its commit. */
    void countAccepted(long waitedNanos) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            lastWindowCount = windowCount.getAndSet(0);
            lastWindowWaitNanos = windowWaitNanos.getAndSet(0);
        }
        windowCount.incrementAndGet();
        windowWaitNanos.addAndGet(waitedNanos);
    }

    /**
     * True while triggers pour in (over 200 a second lately) and their callers queue for the intake (on average
     * {@link #PRESSED_WAITING} or more waiting for their commit at once): workers then run fewer executions at once, so
     * accepting, which callers wait for, keeps the CPU; the queued executions catch up right after. A steady stream
     * that the intake takes without a queue is not a burst: every worker runs, and executions keep up with it instead
     * of waiting {@code burstLagMillis} each.
     */
    boolean busy() {
        long age = System.nanoTime() - windowStart.get();
        return age < 2 * WINDOW_NANOS && Math.max(lastWindowCount, windowCount.get()) > BUSY_PER_WINDOW
                && Math.max(lastWindowWaitNanos, windowWaitNanos.get()) >= PRESSED_WAITING * WINDOW_NANOS;
    }

    /**
     * This node's workers, which run an execution leased at intake at once. The intake asks {@link #reserve} for a
     * worker before its commit, and either hands that worker the claim or gives it back.
     */
    interface LocalRun {
        /** The node executions are leased to, and for how long. */
        String node();

        Duration lease();

        /** Takes a free worker for an execution of the organization; false when none is free for it now. */
        boolean reserve(String organizationId);

        /** Runs the execution leased at intake on the worker reserved for it. */
        void run(Claim claim);

        /** The reserved worker is not needed: nothing was leased. */
        void unreserve(String organizationId);
    }

    /** {@code run}: this node's workers, until {@link #stopRunningLocally}; without, every execution is queued. */
    void runLocally(LocalRun run) {
        localRun.set(run);
    }

    /** The workers {@code run} stop: nothing more is handed to them (another may have taken their place already). */
    void stopRunningLocally(LocalRun run) {
        localRun.compareAndSet(run, null);
    }

    /** Wakes the workers: there is new due work. */
    void signal() {
        lock.lock();
        try {
            signals++;
            added++;
            maybeQueued = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many times new due work was signalled so far; see {@link #queueFoundEmpty}. */
    long workAdded() {
        return added;
    }

    /**
     * The dispatcher's claim, begun when {@link #workAdded()} was {@code addedBefore}, found nothing for its free
     * workers: nothing claimable was queued. Unless new work was signalled meanwhile, the intake may hand executions to
     * workers again, and workers that finish no longer wake the dispatcher.
     */
    void queueFoundEmpty(long addedBefore) {
        lock.lock();
        try {
            if (added == addedBefore) {
                maybeQueued = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The dispatcher's claim found queued work (this node's, or another's that this node was not told of): until a
     * claim finds none, executions queue behind it and every worker that finishes wakes the dispatcher. No lock: only
     * the dispatcher, on its own thread, clears the flag ({@link #queueFoundEmpty}), and every other write sets it.
     */
    void workFound() {
        maybeQueued = true;
    }

    /**
     * An execution ended on this node: wakes those awaiting one, and the dispatcher if queued work may wait for the
     * worker now free (otherwise its claim would find nothing: a transaction for nothing).
     */
    void executionEnded() {
        lock.lock();
        try {
            ends++;
            ended.signalAll();
            if (maybeQueued) {
                signals++;
                work.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a signal, at most {@code millis}; returns at once if one came since {@code seen}. */
    long awaitWork(long seen, long millis) throws InterruptedException {
        lock.lock();
        try {
            if (signals == seen) {
                work.await(millis, TimeUnit.MILLISECONDS);
            }
            return signals;
        } finally {
            lock.unlock();
        }
    }

    long signals() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an execution ends after {@code seen} ends, at most {@code millis}; returns the ends now. */
    private long awaitEnd(long seen, long millis) throws InterruptedException {
        lock.lock();
        try {
            if (ends == seen) {
                ended.await(millis, TimeUnit.MILLISECONDS);
            }
            return ends;
        } finally {
            lock.unlock();
        }
    }

    /** A free local worker for this organization, when no queued work is ahead of a new execution; else null. */
    private LocalRun reserveLocal(String organizationId) {
        LocalRun run = localRun.get();
        return run != null && !maybeQueued && run.reserve(organizationId) ? run : null;
    }

    /** The sink one source gets: accepts only its own type. */
    final class SourceSink implements TriggerSink {
        private final String type;

        SourceSink(String type) {
            this.type = type;
        }

        @Override
        public Acceptance accept(TriggerEvent event) {
            if (!type.equals(event.type())) {
                throw new IllegalArgumentException("a " + type + " source cannot accept " + event.type() + " events");
            }
            if (event.organizationId() == null) {
                throw ValidationException.of("organizationId", "is required");
            }
            long started = System.nanoTime();
            String orgId = event.organizationId();
            String data = Definitions.write(event.data() == null ? Map.of() : event.data());
            LocalRun local = reserveLocal(orgId);
            Optional<Claim> leased = Optional.empty();
            Acceptance acceptance;
            org.slf4j.MDC.put(LogContext.ORGANIZATION, orgId);
            try {
                LeasedIntake written = executions.intakeLeased(orgId, type, event.workflowIds(), event.dedupeKey(), data,
                        event.test(), event.workflowVersions(), local == null ? null : local.node(),
                        local == null ? null : local.lease());
                acceptance = written.acceptance();
                leased = written.claim();
            } finally {
                org.slf4j.MDC.remove(LogContext.ORGANIZATION);
                if (local != null && leased.isEmpty()) {
                    local.unreserve(orgId);
                }
            }
            if (leased.isPresent()) {
                local.run(leased.get());
            }
            long waited = System.nanoTime() - started;
            metrics.intakeCommitted(type, orgId, acceptance.executionIds().size(), acceptance.duplicate(), waited);
            if (!acceptance.executionIds().isEmpty() && !acceptance.duplicate()) {
                countAccepted(waited);
                if (acceptance.executionIds().size() > (leased.isPresent() ? 1 : 0)) {
                    signal(); // some wait in the queue for the dispatcher
                }
            }
            return acceptance;
        }

        @Override
        public List<TriggerBinding> bindings() {
            return workflows.enabledWithTrigger(type).stream()
                    .map(w -> new TriggerBinding(w.organizationId(), w.id(), w.version(),
                            Definitions.read(w.definition()).trigger().params()))
                    .toList();
        }

        @Override
        public Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long seen = ends;
            while (true) {
                Optional<ExecutionRow> row = executions.get(executionId);
                if (row.isEmpty()) {
                    return Optional.empty();
                }
                boolean done = ExecutionStatus.valueOf(row.get().status().toUpperCase(java.util.Locale.ROOT)).finished();
                if (done || System.nanoTime() > deadline) {
                    return Optional.of(views.toMap(views.withSteps(row.get())));
                }
                try {
                    seen = awaitEnd(seen, 100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.of(views.toMap(views.withSteps(row.get())));
                }
            }
        }
    }
}
