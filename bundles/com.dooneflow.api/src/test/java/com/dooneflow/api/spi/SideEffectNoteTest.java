package com.dooneflow.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.SideEffectNote.State;

class SideEffectNoteTest {

    private final Map<String, Map<String, Object>> notes = new HashMap<>();
    private final StepJournal journal = new StepJournal() {
        public void put(String executionId, int stepIndex, String key, Map<String, Object> value) {
            notes.put(executionId + "/" + stepIndex + "/" + key, Map.copyOf(value));
        }

        public Optional<Map<String, Object>> get(String executionId, int stepIndex, String key) {
            return Optional.ofNullable(notes.get(executionId + "/" + stepIndex + "/" + key));
        }

        public Map<String, Object> update(String e, int i, String k, UnaryOperator<Map<String, Object>> change) {
            throw new UnsupportedOperationException();
        }

        public Map<Integer, Map<String, Map<String, Object>>> notes(String executionId) {
            throw new UnsupportedOperationException();
        }
    };
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    private ActionContext attempt(int attempt) {
        return new ActionContext() {
            public String organizationId() { return "org"; }
            public String executionId() { return "ex"; }
            public int stepIndex() { return 1; }
            public int attempt() { return attempt; }
            public String idempotencyKey() { return "ex:1"; }
            public Map<String, Object> params() { return Map.of(); }
            public Map<String, Object> variables() { return Map.of(); }
        };
    }

    @Test
    void sendingIsWrittenBeforeTheCallAndTheEndKeepsWhatItSaid() {
        SideEffectNote note = SideEffectNote.of(journal, attempt(2), "acme.send", clock);
        assertThat(note.earlier()).isEmpty();

        note.sending(Map.of("to", "+14155550100"));
        assertThat(notes.get("ex/1/acme.send")).containsEntry("state", "sending").containsEntry("attempt", 2)
                .containsEntry("startedAt", "2026-12-06T10:00:00Z").containsEntry("to", "+14155550100");

        assertThat(note.done(Map.of("id", "42"))).isEqualTo(ActionResult.ok(Map.of("id", "42")));
        assertThat(notes.get("ex/1/acme.send")).containsEntry("state", "done").containsEntry("to", "+14155550100")
                .containsEntry("outputs", Map.of("id", "42")).containsKey("endedAt");
    }

    @Test
    void theNextAttemptSeesWhatTheLastLeftAndADoneOnesOutputs() {
        SideEffectNote first = SideEffectNote.of(journal, attempt(1), "acme.send", clock);
        first.sending(Map.of());
        assertThat(SideEffectNote.of(journal, attempt(2), "acme.send", clock).earlier())
                .hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(State.SENDING));

        first.end(State.NO_ANSWER, Map.of("reason", "timeout"));
        SideEffectNote second = SideEffectNote.of(journal, attempt(2), "acme.send", clock);
        SideEffectNote.Earlier earlier = second.earlier().orElseThrow();
        assertThat(earlier.state()).isEqualTo(State.NO_ANSWER);
        assertThat(earlier.outputs()).isEmpty();

        second.continueFrom(earlier);
        second.done(Map.of("sid", "SM1"));
        assertThat(notes.get("ex/1/acme.send")).containsEntry("attempt", 1).containsEntry("state", "done");
        assertThat(second.earlier().orElseThrow().outputs()).containsEntry("sid", "SM1");
    }

    @Test
    void aNoteWrittenBeforeThisProtocolAsSentCountsAsDone() {
        journal.put("ex", 1, "twilio.send", Map.of("state", "sent", "outputs", Map.of("sms_message_sid", "SM1")));

        SideEffectNote.Earlier earlier = SideEffectNote.of(journal, attempt(3), "twilio.send", clock).earlier()
                .orElseThrow();
        assertThat(earlier.state()).isEqualTo(State.DONE);
        assertThat(earlier.outputs()).containsEntry("sms_message_sid", "SM1");
    }

    @Test
    void anUnknownStateIsNotThisProtocols() {
        journal.put("ex", 1, "acme.send", Map.of("state", "weird"));

        assertThat(SideEffectNote.of(journal, attempt(1), "acme.send", clock).earlier()).isEmpty();
    }
}
