package com.dooneflow.api.spi;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome-unknown protocol for a step whose side effect must not happen twice (an SMS sent, a record created),
 * kept as one {@link StepJournal} note per step so every connector records it the same way and the console shows it
 * the same way. Before the call the step writes {@link State#SENDING}, committed at once; after it, the state the
 * answer proves. When the node dies in between (or the answer cannot be read) {@code sending} stays: the next
 * attempt finds it and must not repeat blindly.
 *
 * <pre>{@code
 * SideEffectNote note = SideEffectNote.of(journal, ctx, "salesforce.write", clock);
 * Optional<SideEffectNote.Earlier> earlier = note.earlier();
 * if (earlier.isPresent() && earlier.get().state() == State.DONE) return ActionResult.ok(earlier.get().outputs());
 * note.sending(Map.of("path", path));
 * ... call ...
 * return note.done(outputs);
 * }</pre>
 */
public final class SideEffectNote {

    /** Where a side effect stands; stored in lower case under {@code state}. */
    public enum State {
        /** The call is about to be made or under way; if it stays, nobody knows whether it took effect. */
        SENDING,
        /** The call got no answer (a timeout, a reset): the provider may have acted; ask it before repeating. */
        NO_ANSWER,
        /** The provider acted; {@code outputs} holds the step's outputs, so a repeat returns them without a call. */
        DONE,
        /** The provider answered that nothing was done and a retry may do it. */
        RETRYING,
        /** The provider refused for good; nothing was done. */
        REJECTED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state a note holds; {@code sent} is what SMS steps wrote for {@link #DONE} before this protocol. */
        static Optional<State> of(Object value) {
            if ("sent".equals(value)) {
                return Optional.of(DONE);
            }
            for (State s : values()) {
                if (s.wire().equals(value)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** A note an earlier attempt of this step left. */
    public record Earlier(State state, Map<String, Object> note) {

        /** The outputs a {@link State#DONE} note keeps (empty otherwise). */
        @SuppressWarnings("unchecked")
        public Map<String, Object> outputs() {
            return note.get("outputs") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    private final StepJournal journal;
    private final String executionId;
    private final int stepIndex;
    private final int attempt;
    private final String key;
    private final Clock clock;
    private Map<String, Object> sending = Map.of();

    private SideEffectNote(StepJournal journal, ActionContext ctx, String key, Clock clock) {
        this.journal = journal;
        this.executionId = ctx.executionId();
        this.stepIndex = ctx.stepIndex();
        this.attempt = ctx.attempt();
        this.key = key;
        this.clock = clock;
    }

    /** The note {@code key} (the connector's, e.g. {@code twilio.send}) of this context's step. */
    public static SideEffectNote of(StepJournal journal, ActionContext ctx, String key, Clock clock) {
        return new SideEffectNote(journal, ctx, key, clock);
    }

    /** What an earlier attempt of this step left, if it left a note this protocol knows. */
    public Optional<Earlier> earlier() {
        return journal.get(executionId, stepIndex, key)
                .flatMap(n -> State.of(n.get("state")).map(s -> new Earlier(s, n)));
    }

    /** Writes {@code sending} with the attempt, the time and {@code details} (what a person needs to check). */
    public void sending(Map<String, Object> details) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("state", State.SENDING.wire());
        note.put("attempt", attempt);
        note.put("startedAt", clock.instant().toString());
        note.putAll(details);
        journal.put(executionId, stepIndex, key, note);
        sending = note;
    }

    /** Continues from an earlier attempt's note: {@link #end} then keeps what it recorded. */
    public void continueFrom(Earlier earlier) {
        sending = earlier.note();
    }

    /** The note written by {@link #sending}. */
    public Map<String, Object> sendingNote() {
        return sending;
    }

    /** Replaces the note with the sending note, {@code state}, the end time and {@code details}. */
    public void end(State state, Map<String, Object> details) {
        Map<String, Object> note = new LinkedHashMap<>(sending);
        note.put("state", state.wire());
        note.putAll(details);
        note.put("endedAt", clock.instant().toString());
        journal.put(executionId, stepIndex, key, note);
    }

    /** Records {@link State#DONE} with the outputs, and returns them as the step's result. */
    public ActionResult done(Map<String, Object> outputs) {
        end(State.DONE, Map.of("outputs", outputs));
        return ActionResult.ok(outputs);
    }
}
