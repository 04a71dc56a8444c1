package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.testing.InMemoryStepJournal;

/** A change made on any node (the counter moved) makes every trigger source on this node drop its routing. */
class WorkflowChangeWatcherTest {

    private final EngineFakes.FakeWorkflowStore workflows = new EngineFakes.FakeWorkflowStore();
    private final Intake intake = new Intake(new EngineFakes.FakeExecutionStore(), workflows, new InMemoryStepJournal());
    private final AtomicInteger webhookRefreshes = new AtomicInteger();
    private final AtomicInteger emailRefreshes = new AtomicInteger();
    private WorkflowChangeWatcher watcher;

    private static TriggerSource source(AtomicInteger refreshes) {
        return new TriggerSource() {
            public TypeDescriptor descriptor() {
                return new TypeDescriptor("t", TypeDescriptor.Kind.TRIGGER, "t", "", List.of());
            }

            public void open(TriggerSink sink) {
            }

            public void close() {
            }

            @Override
            public void bindingsChanged() {
                refreshes.incrementAndGet();
            }
        };
    }

    /** Polls rarely: the test calls check() itself. */
    private static WorkflowChangeWatcher.Config config() {
        return new WorkflowChangeWatcher.Config() {
            public int changePollMillis() {
                return 3_600_000;
            }

            public Class<? extends Annotation> annotationType() {
                return WorkflowChangeWatcher.Config.class;
            }
        };
    }

    @AfterEach
    void stop() {
        watcher.stop();
    }

    @Test
    void aChangeOnAnyNodeRefreshesEverySourceOnceAndNothingElseDoes() {
        intake.addTriggerSource(source(webhookRefreshes), Map.of(TriggerSource.TYPE, "webhook"));
        intake.addTriggerSource(source(emailRefreshes), Map.of(TriggerSource.TYPE, "email.imap"));
        watcher = new WorkflowChangeWatcher(config(), workflows, intake);

        watcher.check();
        assertThat(webhookRefreshes).hasValue(0);

        workflows.changes += 2; // two changes committed by another node
        watcher.check();
        watcher.check();

        assertThat(webhookRefreshes).hasValue(1);
        assertThat(emailRefreshes).hasValue(1);
    }

    @Test
    void aDatabaseThatIsAwayIsToleratedAndTheNextChangeStillArrives() {
        intake.addTriggerSource(source(webhookRefreshes), Map.of(TriggerSource.TYPE, "webhook"));
        watcher = new WorkflowChangeWatcher(config(), workflows, intake);
        workflows.changesFailure = new IllegalStateException("connection refused");

        watcher.check();
        workflows.changesFailure = null;
        workflows.changes++;
        watcher.check();

        assertThat(webhookRefreshes).as("one while blind, one for the change").hasValue(2);
    }

    @Test
    void whileChangesCannotBeWatchedEveryLookLeavesTheRoutingStale() {
        intake.addTriggerSource(source(webhookRefreshes), Map.of(TriggerSource.TYPE, "webhook"));
        watcher = new WorkflowChangeWatcher(config(), workflows, intake);
        workflows.changesFailure = new IllegalStateException("connection refused");

        watcher.check();
        watcher.check();
        watcher.check();
        assertThat(webhookRefreshes).as("a change may have been missed at each look").hasValue(3);

        workflows.changesFailure = null;
        watcher.check();
        watcher.check();
        assertThat(webhookRefreshes).as("watched again, nothing changed").hasValue(3);
    }
}
