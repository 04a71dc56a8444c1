package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
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
}
