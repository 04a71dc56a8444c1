package com.dooneflow.engine.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The action secrets the workers read, kept for a few seconds so that a burst of executions of one workflow reads
 * the vault (a database transaction and a decryption) once, not once per execution. Emptied whenever a workflow
 * changes on this node (after its secrets are written) or on another one (the change watcher); the few seconds
 * bound how long another node's change could go unseen. Bounded; an unset secret is remembered as such.
 */
final class SecretCache {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 1000;

    private record Entry(Optional<String> value, long readAt) {
    }

    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SecretCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The cached value of the workflow's secret {@code field}, or {@code read}'s (which may throw: nothing is kept). */
    Optional<String> get(String orgId, String workflowId, String field, Supplier<Optional<String>> read) {
        String key = orgId + "/" + workflowId + "/" + field;
        long now = nanoTime.getAsLong();
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e != null && now - e.readAt() < TTL.toNanos()) {
                return e.value();
            }
        }
        Optional<String> value = read.get();
        synchronized (entries) {
            entries.put(key, new Entry(value, now));
        }
        return value;
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }
}
