package com.dooneflow.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.dooneflow.api.spi.StepJournal;

/**
 * Step notes in memory. Values go through JSON on the way in and out, as the database round trip does, so a note
 * a caller changes afterwards is not changed here. {@link #history()} keeps every write in order.
 */
public class InMemoryStepJournal implements StepJournal {

    /** One note of one step. */
    public record Note(String executionId, int stepIndex, String key, Map<String, Object> value) {
    }

    private record Key(String executionId, int stepIndex, String key) {
    }

    private final Map<Key, Map<String, Object>> notes = new ConcurrentHashMap<>();
    private final List<Note> history = new CopyOnWriteArrayList<>();

    @Override
    public void put(String executionId, int stepIndex, String key, Map<String, Object> value) {
        if (value == null) {
            throw new IllegalArgumentException("a step note must be given");
        }
        Map<String, Object> stored = JsonValues.copy(value);
        notes.put(new Key(executionId, stepIndex, key), stored);
        history.add(new Note(executionId, stepIndex, key, JsonValues.copy(stored)));
    }

    /** Serialised like the database's row lock: one update at a time. */
    @Override
    public synchronized Map<String, Object> update(String executionId, int stepIndex, String key,
                                                   UnaryOperator<Map<String, Object>> change) {
        Map<String, Object> next = change.apply(get(executionId, stepIndex, key).orElse(null));
        if (next == null) {
            throw new IllegalArgumentException("a step note update must give a note");
        }
        put(executionId, stepIndex, key, next);
        return JsonValues.copy(next);
    }

    @Override
    public Optional<Map<String, Object>> get(String executionId, int stepIndex, String key) {
        return Optional.ofNullable(notes.get(new Key(executionId, stepIndex, key))).map(JsonValues::copy);
    }

    @Override
    public Map<Integer, Map<String, Map<String, Object>>> notes(String executionId) {
        Map<Integer, Map<String, Map<String, Object>>> out = new TreeMap<>();
        notes.forEach((k, v) -> {
            if (k.executionId().equals(executionId)) {
                out.computeIfAbsent(k.stepIndex(), i -> new TreeMap<>()).put(k.key(), JsonValues.copy(v));
            }
        });
        return out;
    }

    /** The current notes of every execution. */
    public List<Note> all() {
        return notes.entrySet().stream().map(e -> new Note(e.getKey().executionId(), e.getKey().stepIndex(),
                e.getKey().key(), JsonValues.copy(e.getValue()))).toList();
    }

    /** Every {@link #put} in the order it happened, with the value as written then. */
    public List<Note> history() {
        return List.copyOf(history);
    }
}
