package com.dooneflow.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;

import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.api.store.WorkflowStore;

/**
 * Claims due executions (short transactions, SKIP LOCKED, a lease per claim) and runs them on a fixed pool; runs
 * at once, without a claim, those the intake leased to this node while a worker was free ({@link Intake.LocalRun}).
 * A heartbeat keeps the claims alive while their steps run and stops steps that outlive their limit.
 * On shutdown it stops claiming, lets running steps finish for a while, and hands unstarted claims back.
 */
@Component(service = ExecutionWorker.class, immediate = true, configurationPid = "com.dooneflow.engine",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ExecutionWorker.Config.class)
public class ExecutionWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionWorker.class);

    @ObjectClassDefinition(name = "DooneFlow execution workers")
    public @interface Config {
        @AttributeDefinition(description = "Executions of one organization run at the same time on this node")
        int workers() default 16;

        @AttributeDefinition(description = "Executions of all organizations run at the same time on this node "
                + "(0 = four times workers), so organizations saturating their share leave room for the others")
        int maxWorkers() default 0;

        @AttributeDefinition(description = "Executions run at the same time while triggers pour in and their callers "
                + "queue for the intake (0 = a quarter of workers), so the intake keeps its speed during a burst")
        int burstWorkers() default 0;

        @AttributeDefinition(description = "Milliseconds an execution may wait for a worker during a burst before all "
                + "workers run again, so a sustained load never builds an endless backlog")
        int burstLagMillis() default 10_000;

        @AttributeDefinition(description = "Milliseconds the dispatcher waits, while due work is left over, for a "
                + "quarter of the workers to be free, so it claims them in one transaction rather than one by one")
        int claimBatchMillis() default 2;

        @AttributeDefinition(description = "Seconds a claim lasts without a heartbeat before another node may take "
                + "the execution over; the heartbeat renews it every third of this while a step runs")
        int leaseSeconds() default 60;

        @AttributeDefinition(description = "Seconds one attempt of a step may take at most, whatever its action says")
        int maxStepSeconds() default 300;

        @AttributeDefinition(description = "Seconds between checks whether a missing connector has returned")
        int waitingRecheckSeconds() default 30;

        @AttributeDefinition(description = "Milliseconds between polls for due work when nothing wakes the workers")
        int pollMillis() default 1000;

        @AttributeDefinition(description = "Milliseconds between checks for workflow changes made on other nodes "
                + "(read by the workflow change watcher)")
        int changePollMillis() default 250;

        @AttributeDefinition(description = "Seconds to let running steps finish on shutdown")
        int shutdownSeconds() default 20;
    }

    private final ExecutionStore store;
    private final Intake intake;
    private final StepRunner runner;
    private final Runnable forgetSecrets;
    private final String node;
    private final int workers;
    private final int maxWorkers;
    private final int burstWorkers;
    private final Duration burstLag;
    private final long claimBatchNanos;
    /** The backlog is older than {@link #burstLag}: every worker runs until it is worked off. */
    private boolean catchingUp;
    private final Duration lease;
    private final long pollMillis;
    private final int shutdownSeconds;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The types this node runs, from the bind calls themselves: the registry may not have seen a handler yet. */
    private final Map<ActionHandler, String> handlerTypes = new ConcurrentHashMap<>();
    private final ClusterService cluster;
    /** Running executions on this node by organization, for fair claims. */
    private final Map<String, Integer> runningByOrganization = new ConcurrentHashMap<>();
    private final Thread dispatcher;
    private final ScheduledExecutorService heartbeat;
    /** A node without the worker role claims nothing: its dispatcher never starts. */
    private final boolean worker;
    private volatile boolean running = true;
    /** Where the intake hands the executions it leases to this node. */
    private final LocalRun localRun = new LocalRun();
    /** This pool's gauges, removed on stop so a restarted worker's are not shadowed by the old ones. */
    private final List<Meter> gauges;

    @Activate
    public ExecutionWorker(Config config, @Reference ExecutionStore store, @Reference WorkflowStore workflows,
                           @Reference ConnectorRegistry registry, @Reference SecretVault vault,
                           @Reference ClusterService cluster, @Reference EventLog events, @Reference Intake intake) {
        this.store = store;
        this.intake = intake;
        this.workers = Math.max(1, config.workers());
        this.maxWorkers = config.maxWorkers() > 0 ? Math.max(workers, config.maxWorkers()) : 4 * workers;
        this.burstWorkers = config.burstWorkers() > 0 ? Math.min(workers, config.burstWorkers()) : Math.max(1, workers / 4);
        this.burstLag = Duration.ofMillis(Math.max(0, config.burstLagMillis()));
        this.claimBatchNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, config.claimBatchMillis()));
        this.lease = Duration.ofSeconds(Math.max(5, config.leaseSeconds()));
        this.pollMillis = Math.max(50, config.pollMillis());
        this.shutdownSeconds = config.shutdownSeconds();
        // The cluster service has taken back this node's claims of before a restart: only now do workers claim.
        this.node = cluster.nodeId();
        this.cluster = cluster;
        advertise();
        this.runner = new StepRunner(store, workflows, registry, vault, lease,
                Duration.ofSeconds(Math.max(1, config.waitingRecheckSeconds())), events,
                Duration.ofSeconds(Math.max(1, config.maxStepSeconds())), System::nanoTime);
        this.forgetSecrets = runner::workflowsChanged;
        intake.onWorkflowsChanged(forgetSecrets);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxWorkers, maxWorkers, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(r, "dooneflow-worker-" + n.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true); // threads beyond one organization's share exist only while they are needed
        this.gauges = List.of(
                Gauge.builder("dooneflow.workers.busy", inFlight, AtomicInteger::get)
                        .description("Executions running on this node now").register(Metrics.globalRegistry),
                Gauge.builder("dooneflow.workers.threads", pool, ThreadPoolExecutor::getPoolSize)
                        .description("Threads of this node's worker pool").register(Metrics.globalRegistry),
                Gauge.builder("dooneflow.workers.max", () -> maxWorkers)
                        .description("Executions this node runs at the same time at most").register(Metrics.globalRegistry));
        this.dispatcher = new Thread(this::dispatch, "dooneflow-dispatcher");
        this.worker = cluster.hasRole(NodeRole.WORKER);
        if (worker) {
            dispatcher.start();
            intake.runLocally(localRun);
        }
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dooneflow-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, 1, 1, TimeUnit.SECONDS);
        if (worker) {
            LOG.info("Execution workers started: {} per organization, {} in all, on node {}", workers, maxWorkers, node);
        } else {
            LOG.info("Node {} has no worker role: it claims no executions; the worker nodes run them", node);
        }
    }

    /** A connector came back: executions waiting for its action type become due now. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addActionHandler(ActionHandler handler, Map<String, Object> props) {
        Object type = props.get(ActionHandler.TYPE);
        if (type != null) {
            handlerTypes.put(handler, type.toString());
            advertise();
        }
        if (type != null && running && worker) {
            try {
                if (store.wakeWaiting(type.toString()) > 0) {
                    intake.signal();
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not wake executions waiting for {}", type, e);
            }
        }
    }

    void removeActionHandler(ActionHandler handler) {
        // Executions that need it will wait when they reach it (or go to a node that still runs it).
        if (handlerTypes.remove(handler) != null) {
            advertise();
        }
    }

    /** The action types whose handlers run on this node. */
    private Set<String> actionTypes() {
        return Set.copyOf(handlerTypes.values());
    }

    private void advertise() {
        ClusterService c = cluster;
        if (c != null) {
            try {
                c.advertise(actionTypes());
            } catch (RuntimeException e) {
                LOG.warn("Could not publish this node's action types; the next beat does", e);
            }
        }
    }

    private void beat() {
        try {
            runner.keeper().tick();
        } catch (RuntimeException e) {
            LOG.error("Heartbeat failed", e);
        }
    }

    /** Interrupts the running step of an execution if this node runs it (it was cancelled). */
    boolean interrupt(String executionId) {
        return runner.keeper().interrupt(executionId);
    }

    private void dispatch() {
        long seen = intake.signals();
        boolean moreDue = false;
        long batchWaitSince = 0;
        while (running) {
            try {
                int limit = limit();
                int free = limit - inFlight.get();
                // With work left over, claim in batches: a claim is a transaction (and a WAL flush), so taking slots
                // one by one as workers free them would cost one per execution. Wait a moment for a quarter of them.
                if (moreDue && free > 0 && free < Math.max(1, limit / 4)) {
                    long now = System.nanoTime();
                    if (batchWaitSince == 0) {
                        batchWaitSince = now;
                    }
                    if (now - batchWaitSince < claimBatchNanos) {
                        seen = intake.awaitWork(seen, 1);
                        continue;
                    }
                }
                batchWaitSince = 0;
                long addedBefore = intake.workAdded();
                Map<String, Integer> running = Map.copyOf(runningByOrganization);
                List<Claim> claims = free > 0 ? store.claim(node, free, lease, workers, running, actionTypes()) : List.of();
                cluster.reportClaiming(true);
                if (free > 0) {
                    // Behind: what was claimed had waited too long. (A full claim is not the test: an organization's
                    // share caps a claim below the free workers, however long the backlog.)
                    boolean behind = waitedTooLong(claims);
                    moreDue = claims.size() == free || behind;
                    catchingUp = behind;
                }
                for (Claim claim : claims) {
                    inFlight.incrementAndGet();
                    runningByOrganization.merge(claim.execution().organizationId(), 1, Integer::sum);
                    pool.execute(new Task(claim));
                }
                if (!claims.isEmpty()) {
                    intake.workFound(); // queued here or by another node: more may follow
                } else if (free > 0 && !anOrganizationAtItsShare(running)) {
                    intake.queueFoundEmpty(addedBefore);
                }
                if (claims.isEmpty() || claims.size() == free) {
                    seen = intake.awaitWork(seen, free > 0 ? pollMillis : 50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                cluster.reportClaiming(false);
                LOG.error("Claiming executions failed; retrying", e);
                try {
                    seen = intake.awaitWork(seen, 2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How many executions may run now: fewer while the intake is pressed by a burst (see {@link Intake#busy()}). */
    private int limit() {
        return intake.busy() && !catchingUp ? burstWorkers : maxWorkers;
    }

    /**
     * True when an organization ran as many executions as its share when the claim was made ({@code running}): the
     * claim looked past its queued work, so finding nothing does not mean nothing is queued.
     */
    private boolean anOrganizationAtItsShare(Map<String, Integer> running) {
        return running.values().stream().anyMatch(n -> n >= workers);
    }

    /** Executions the intake leased to this node, run on a worker taken for each before its commit. */
    private final class LocalRun implements Intake.LocalRun {
        @Override
        public String node() {
            return node;
        }

        @Override
        public Duration lease() {
            return lease;
        }

        @Override
        public boolean reserve(String organizationId) {
            if (!running) {
                return false;
            }
            int limit = limit();
            for (int n = inFlight.get(); ; n = inFlight.get()) {
                if (n >= limit) {
                    return false;
                }
                if (inFlight.compareAndSet(n, n + 1)) {
                    break;
                }
            }
            boolean[] taken = {false};
            runningByOrganization.compute(organizationId, (org, n) -> {
                int now = n == null ? 0 : n;
                if (now >= workers) {
                    return n;
                }
                taken[0] = true;
                return now + 1;
            });
            if (!taken[0]) {
                inFlight.decrementAndGet();
            }
            return taken[0];
        }

        @Override
        public void run(Claim claim) {
            try {
                pool.execute(new Task(claim));
            } catch (RejectedExecutionException e) {
                // Stopping: the claim goes back to the queue, another node (or this one, restarted) runs it.
                store.release(claim);
                workerDone(claim);
            }
        }

        @Override
        public void unreserve(String organizationId) {
            freeWorker(organizationId);
        }
    }

    private void freeWorker(String organizationId) {
        inFlight.decrementAndGet();
        runningByOrganization.computeIfPresent(organizationId, (org, n) -> n > 1 ? n - 1 : null);
    }

    /** A worker has finished with the claim: its place is free, and whoever awaits its end hears of it. */
    private void workerDone(Claim claim) {
        freeWorker(claim.execution().organizationId());
        intake.executionEnded();
    }

    /** True when one of the claimed executions waited for a worker longer than the burst may delay it. */
    private boolean waitedTooLong(List<Claim> claims) {
        Instant limit = Instant.now().minus(burstLag);
        return claims.stream().anyMatch(c -> c.execution().createdAt().isBefore(limit));
    }

    /** One claimed execution; given back untouched if the pool shuts down before it starts. */
    private final class Task implements Runnable {
        private final Claim claim;

        Task(Claim claim) {
            this.claim = claim;
        }

        @Override
        public void run() {
            try {
                if (!running) {
                    store.release(claim);
                    return;
                }
                runner.run(claim);
            } catch (RuntimeException e) {
                LOG.error("Execution {} could not be run; it will be retried", claim.execution().id(), e);
                store.release(claim);
            } finally {
                workerDone(claim);
            }
        }
    }

    @Deactivate
    void stop() throws InterruptedException {
        running = false;
        intake.stopRunningLocally(localRun);
        intake.removeWorkflowsListener(forgetSecrets);
        gauges.forEach(Metrics.globalRegistry::remove);
        cluster.reportClaiming(false);
        dispatcher.interrupt();
        dispatcher.join(5000);
        pool.shutdown();
        // Running steps keep their claims alive while they finish.
        boolean finished = pool.awaitTermination(shutdownSeconds, TimeUnit.SECONDS);
        heartbeat.shutdownNow();
        if (!finished) {
            for (Runnable r : pool.shutdownNow()) {
                if (r instanceof Task t) {
                    store.release(t.claim);
                }
            }
        }
        LOG.info("Execution workers stopped");
    }
}
