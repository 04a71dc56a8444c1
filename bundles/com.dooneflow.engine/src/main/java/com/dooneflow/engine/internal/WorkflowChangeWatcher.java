package com.dooneflow.engine.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.store.WorkflowStore;

/**
 * Makes a workflow change made on any node reach this node's trigger sources within {@code changePollMillis}: it
 * watches the database's change counter and tells every source to drop its cached routing when it moves. So a
 * webhook switched to key authentication on one node is not served without a key by another for long.
 */
@Component(configurationPid = "com.dooneflow.engine", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class WorkflowChangeWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowChangeWatcher.class);

    /** Read from {@code etc/com.dooneflow.engine.cfg}, whose metatype the execution workers declare. */
    public @interface Config {
        /** Milliseconds between checks for workflow changes made on other nodes. */
        int changePollMillis() default 250;
    }

    private final WorkflowStore workflows;
    private final Intake intake;
    private final ScheduledExecutorService timer;
    private long seen;
    private boolean failing;

    @Activate
    public WorkflowChangeWatcher(Config config, @Reference WorkflowStore workflows, @Reference Intake intake) {
        this.workflows = workflows;
        this.intake = intake;
        this.seen = workflows.changes();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dooneflow-workflow-changes");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, config.changePollMillis());
        timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    /** One look at the counter; package-private for tests. */
    void check() {
        try {
            long now = workflows.changes();
            if (failing) {
                LOG.info("Workflow changes are watched again");
                failing = false;
            }
            if (now != seen) {
                seen = now;
                intake.bindingsChangedEverywhere();
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("Could not check for workflow changes; routing caches are reloaded on every use until they are "
                        + "watched again", e);
                failing = true;
            }
            // A change we cannot see may have happened: no cached routing is trusted while we are blind.
            intake.bindingsChangedEverywhere();
        }
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
    }
}
