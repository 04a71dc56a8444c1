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
 * changes on this node (after its secrets are written) or on another one (the change watcher). Another node writes
 * a workflow's secrets just after the workflow itself, so for a second after a change nothing is kept: a value read
 * in between is not remembered for the next executions. The TTL bounds anything beyond that. Bounded; an unset secret
 * is remembered as such.
 */
final class SecretCache {

    static final Duration TTL = Duration.ofSeconds(5);
    /** After a change, how long values are read through and not kept: the change's secrets may still be on their way. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    private static final int MAX_ENTRIES = 1000;

    private record Entry(Optional<String> value, long readAt) {
    }

    private final LongSupplier nanoTime;
    private long changedAt; // guarded by entries
    private final Map<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    SecretCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.changedAt = nanoTime.getAsLong() - SETTLE.toNanos();
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
            if (now - changedAt >= SETTLE.toNanos()) {
                entries.put(key, new Entry(value, now));
            }
        }
        return value;
    }

    /** A workflow changed: forget everything, and keep nothing new for {@link #SETTLE}. */
    void clear() {
        synchronized (entries) {
            entries.clear();
            changedAt = nanoTime.getAsLong();
        }
    }
}
