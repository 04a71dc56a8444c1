package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Event;
import com.dooneflow.api.Page;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink.Acceptance;

/** The dedupe store, event log, step journal and trigger sink. */
class SmallFakesTest {

    final MutableClock clock = new MutableClock();

    @Test
    void aDedupeKeyIsNewAgainOnceItsTimeToLiveHasPassed() {
        InMemoryDedupeStore dedupe = new InMemoryDedupeStore(clock);
        assertThat(dedupe.firstSeen("o", "imap", "uid-1", Duration.ofMinutes(1))).isTrue();
        assertThat(dedupe.firstSeen("o", "imap", "uid-1", Duration.ofMinutes(1))).isFalse();
        assertThat(dedupe.firstSeen("o2", "imap", "uid-1", Duration.ofMinutes(1))).isTrue();
        assertThat(dedupe.seen("o", "imap", "uid-1")).isTrue();

        clock.advance(Duration.ofMinutes(2));
        assertThat(dedupe.seen("o", "imap", "uid-1")).isFalse();
        assertThat(dedupe.purgeExpired()).isEqualTo(2);
        assertThat(dedupe.firstSeen("o", "imap", "uid-1", Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void theEventLogPagesNewestFirstPerOrganization() {
        RecordingEventLog events = new RecordingEventLog();
        for (int i = 1; i <= 5; i++) {
            events.record("o", i == 3 ? Event.Level.ERROR : Event.Level.INFO, "test", "event " + i, Map.of("i", i));
        }
        events.record("other", Event.Level.WARN, "test", "x".repeat(3000), null);

        Page<Event> first = events.list("o", null, null, 2, null);
        assertThat(first.items()).extracting(Event::message).containsExactly("event 5", "event 4");
        Page<Event> rest = events.list("o", null, null, 10, first.nextCursor());
        assertThat(rest.items()).extracting(Event::message).containsExactly("event 3", "event 2", "event 1");
        assertThat(rest.nextCursor()).isNull();
        assertThat(events.at(Event.Level.ERROR)).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("i", 3));
        assertThat(events.recorded()).last().satisfies(e -> assertThat(e.message()).hasSize(2000).endsWith("..."));
    }

    @Test
    void journalNotesAreCopiesAndTheHistoryKeepsEveryWrite() {
        InMemoryStepJournal journal = new InMemoryStepJournal();
        Map<String, Object> note = new HashMap<>(Map.of("state", "sending"));
        journal.put("e1", 0, "send", note);
        note.put("state", "changed by the caller");
        journal.put("e1", 0, "send", Map.of("state", "sent"));
        journal.put("e1", 1, "other", Map.of("n", List.of(1)));
        journal.put("e2", 0, "send", Map.of());

        assertThat(journal.get("e1", 0, "send")).contains(Map.of("state", "sent"));
        assertThat(journal.notes("e1")).containsOnlyKeys(0, 1);
        assertThat(journal.history()).extracting(n -> n.value().get("state")).startsWith("sending", "sent");
        assertThat(journal.all()).hasSize(3);
        assertThatThrownBy(() -> journal.put("e1", 0, "bad", Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSinkCreatesExecutionsOnceForADedupeKeyAndSkipsDisabledWorkflows() {
        RecordingTriggerSink sink = new RecordingTriggerSink();
        sink.disable("w2");
        TriggerEvent event = new TriggerEvent("o", "webhook", List.of("w1", "w2"), "k1", Map.of());

        Acceptance first = sink.accept(event);
        Acceptance again = sink.accept(event);
        assertThat(first.executionIds()).hasSize(1);
        assertThat(first.duplicate()).isFalse();
        assertThat(again.executionIds()).isEqualTo(first.executionIds());
        assertThat(again.duplicate()).isTrue();
        assertThat(sink.offered()).hasSize(2);
        assertThat(sink.accepted()).hasSize(1);
        assertThat(sink.awaitExecution(first.executionIds().get(0), Duration.ZERO)).get()
                .satisfies(x -> assertThat(x).containsEntry("status", "succeeded"));
        assertThat(sink.awaitExecution("unknown", Duration.ZERO)).isEmpty();

        sink.failWith(new IllegalStateException("database unavailable"));
        assertThatThrownBy(() -> sink.accept(new TriggerEvent("o", "webhook", List.of("w1"), null, Map.of())))
                .hasMessage("database unavailable");
        assertThat(sink.offered()).hasSize(2);
        sink.watch("o", "w1", Map.of("path", "a"));
        assertThat(sink.bindings()).hasSize(1);
        assertThat(sink.bindingCalls()).isEqualTo(1);
    }
}
