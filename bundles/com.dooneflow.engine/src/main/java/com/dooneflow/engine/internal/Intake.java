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
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.WorkflowStore;

/**
 * The engine's intake: opens every trigger source with a sink for its type, commits what they accept, and
 * wakes the workers at once instead of letting them find the work at their next poll.
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

    /** Wakes the workers: there is new due work. */
    void signal() {
        lock.lock();
        try {
            signals++;
            work.signalAll();
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
            Acceptance acceptance;
            org.slf4j.MDC.put(LogContext.ORGANIZATION, event.organizationId());
            try {
                acceptance = executions.intake(event.organizationId(), type, event.workflowIds(),
                        event.dedupeKey(), Definitions.write(event.data() == null ? Map.of() : event.data()), event.test(),
                        event.workflowVersions());
            } finally {
                org.slf4j.MDC.remove(LogContext.ORGANIZATION);
            }
            long waited = System.nanoTime() - started;
            metrics.intakeCommitted(type, event.organizationId(), acceptance.executionIds().size(), acceptance.duplicate(),
                    waited);
            if (!acceptance.executionIds().isEmpty() && !acceptance.duplicate()) {
                countAccepted(waited);
                signal();
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
            long seen = signals();
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
                    seen = awaitWork(seen, 100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.of(views.toMap(views.withSteps(row.get())));
                }
            }
        }
    }
}
