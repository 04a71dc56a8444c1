package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.StepJournal;

/**
 * The contract of {@link StepJournal}: notes are kept per execution, step and key, as plain JSON values (what is
 * read back is what JSON gives, never the caller's object); a value that is not plain JSON, or an update that gives
 * no note, is refused with {@link IllegalArgumentException} and changes nothing; concurrent updates of one note
 * apply one after the other, so none is lost.
 */
public abstract class StepJournalContract {

    /** The journal under test. It may be shared by the tests: each writes to executions of its own. */
    protected abstract StepJournal journal();

    /** A new execution notes can be attached to (a real journal keeps notes only for executions that exist). */
    protected abstract String newExecution();

    @Test
    public void aNoteIsWrittenReplacedAndReadBackPerStepAndKey() {
        StepJournal journal = journal();
        String execution = newExecution();

        assertThat(journal.get(execution, 0, "twilio")).isEmpty();
        journal.put(execution, 0, "twilio", Map.of("state", "sending"));
        journal.put(execution, 0, "twilio", Map.of("state", "sent", "sid", "SM123"));
        journal.put(execution, 1, "delivery", Map.of("status", "delivered"));

        assertThat(journal.get(execution, 0, "twilio")).contains(Map.of("state", "sent", "sid", "SM123"));
        assertThat(journal.get(execution, 1, "twilio")).as("another step").isEmpty();
        assertThat(journal.get(execution, 0, "other")).as("another key").isEmpty();
        assertThat(journal.notes(execution)).isEqualTo(Map.of(
                0, Map.of("twilio", Map.of("state", "sent", "sid", "SM123")),
                1, Map.of("delivery", Map.of("status", "delivered"))));
        assertThat(journal.notes(newExecution())).as("another execution").isEmpty();
    }

    @Test
    public void notesAreStoredValuesNotTheCallersObjects() {
        StepJournal journal = journal();
        String execution = newExecution();
        Map<String, Object> written = new HashMap<>(Map.of("state", "sending"));

        journal.put(execution, 0, "send", written);
        written.put("state", "changed by the caller afterwards");
        Map<String, Object> read = journal.get(execution, 0, "send").orElseThrow();
        try {
            read.put("state", "changed by a reader");
        } catch (UnsupportedOperationException readOnly) {
            // a journal may as well hand out notes nobody can change
        }

        assertThat(journal.get(execution, 0, "send")).contains(Map.of("state", "sending"));
    }

    @Test
    public void valuesComeBackAsJsonGivesThem() {
        StepJournal journal = journal();
        String execution = newExecution();

        journal.put(execution, 0, "values", Map.of("small", 5L, "big", 5_000_000_000L, "decimal", 1.5,
                "flag", true, "list", List.of("a", 2), "nested", Map.of("k", "v")));

        assertThat(journal.get(execution, 0, "values")).contains(Map.of("small", 5, "big", 5_000_000_000L,
                "decimal", 1.5, "flag", true, "list", List.of("a", 2), "nested", Map.of("k", "v")));
    }

    @Test
    public void aNoteThatIsNotPlainJsonIsRefusedAndChangesNothing() {
        StepJournal journal = journal();
        String execution = newExecution();
        journal.put(execution, 0, "send", Map.of("state", "sending"));

        assertThatThrownBy(() -> journal.put(execution, 0, "send", Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.put(execution, 0, "send", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.put(execution, 0, "fresh", null)).isInstanceOf(IllegalArgumentException.class);

        assertThat(journal.get(execution, 0, "send")).contains(Map.of("state", "sending"));
        assertThat(journal.get(execution, 0, "fresh")).isEmpty();
    }

    @Test
    public void anUpdateSeesTheCurrentNoteNullAtFirstAndReturnsTheNoteStored() {
        StepJournal journal = journal();
        String execution = newExecution();
        List<Map<String, Object>> seen = new ArrayList<>();

        Map<String, Object> first = journal.update(execution, 0, "delivery", note -> {
            seen.add(note);
            return Map.of("status", "queued");
        });
        Map<String, Object> second = journal.update(execution, 0, "delivery", note -> {
            seen.add(note);
            return Map.of("status", "delivered", "previous", note.get("status"));
        });

        assertThat(seen).containsExactly(null, Map.of("status", "queued"));
        assertThat(first).isEqualTo(Map.of("status", "queued"));
        assertThat(second).isEqualTo(Map.of("status", "delivered", "previous", "queued"));
        assertThat(journal.get(execution, 0, "delivery")).contains(second);
    }

    @Test
    public void anUpdateThatGivesNoNoteIsRefusedAndChangesNothing() {
        StepJournal journal = journal();
        String execution = newExecution();
        journal.put(execution, 0, "delivery", Map.of("status", "queued"));

        assertThatThrownBy(() -> journal.update(execution, 0, "delivery", note -> null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> journal.update(execution, 0, "fresh", note -> null))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(journal.get(execution, 0, "delivery")).contains(Map.of("status", "queued"));
        assertThat(journal.get(execution, 0, "fresh")).isEmpty();
        assertThat(journal.notes(execution)).containsOnlyKeys(0);
        assertThat(journal.notes(execution).get(0)).containsOnlyKeys("delivery");
    }

    @Test
    public void concurrentWritersOfOneNoteLeaveOneOfTheirValues() throws Exception {
        StepJournal journal = journal();
        String execution = newExecution();

        runConcurrently(16, n -> journal.put(execution, 2, "delivery", Map.of("n", n)));

        assertThat(journal.notes(execution).get(2)).containsOnlyKeys("delivery");
        assertThat((Integer) journal.get(execution, 2, "delivery").orElseThrow().get("n")).isBetween(0, 15);
    }

    @Test
    public void concurrentUpdatesApplyOneAfterTheOtherAndNoneIsLost() throws Exception {
        StepJournal journal = journal();
        String execution = newExecution();

        runConcurrently(24, n -> journal.update(execution, 0, "delivery", note -> {
            List<Object> seen = new ArrayList<>(note == null ? List.of() : (List<?>) note.get("seen"));
            seen.add(n);
            return Map.of("seen", seen);
        }));

        List<Object> seen = new ArrayList<>((List<?>) journal.get(execution, 0, "delivery").orElseThrow().get("seen"));
        assertThat(seen).as("a read-modify-write under the note's lock loses no update")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 24).<Object>mapToObj(i -> i).toList());
    }

    private interface Writer {
        void write(int n);
    }

    /** Runs {@code writers} writes on eight threads; fails if any of them failed. */
    private static void runConcurrently(int writers, Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                tasks.add(() -> {
                    writer.write(n);
                    return null;
                });
            }
            for (Future<Void> task : pool.invokeAll(tasks)) {
                task.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
