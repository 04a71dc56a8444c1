package com.dooneflow.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;

/**
 * The engine's intake in memory. An event with a dedupe key seen before returns the first delivery's executions
 * and creates none; otherwise it starts one execution per workflow it names, skipping {@link #disable disabled}
 * ones. Every started execution "succeeds" at once for {@link #awaitExecution}. A test sets the
 * {@link #bindings()} sources read, can make {@code accept} fail before or after it commits, and sees what was
 * {@link #offered()} and {@link #accepted()}.
 */
public class RecordingTriggerSink implements TriggerSink {

    private final List<TriggerBinding> bindings = new CopyOnWriteArrayList<>();
    private final List<TriggerEvent> offered = new CopyOnWriteArrayList<>();
    private final List<TriggerEvent> accepted = new CopyOnWriteArrayList<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final Set<String> executions = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> byDedupeKey = new HashMap<>();
    private final AtomicInteger bindingCalls = new AtomicInteger();
    private volatile RuntimeException failure;
    private volatile RuntimeException failureAfterCommit;

    @Override
    public synchronized Acceptance accept(TriggerEvent event) {
        RuntimeException f = failure;
        if (f != null) {
            throw f; // nothing committed
        }
        Acceptance a = commit(event);
        RuntimeException lost = failureAfterCommit;
        if (lost != null) {
            throw lost; // committed, but the caller cannot know
        }
        return a;
    }

    private Acceptance commit(TriggerEvent event) {
        offered.add(event);
        if (event.dedupeKey() != null && byDedupeKey.containsKey(event.dedupeKey())) {
            return new Acceptance(byDedupeKey.get(event.dedupeKey()), true);
        }
        List<String> ids = new ArrayList<>();
        for (String workflowId : event.workflowIds()) {
            if (!disabled.contains(workflowId)) {
                ids.add(UUID.randomUUID().toString());
            }
        }
        if (event.dedupeKey() != null) {
            byDedupeKey.put(event.dedupeKey(), List.copyOf(ids));
        }
        executions.addAll(ids);
        accepted.add(event);
        return new Acceptance(List.copyOf(ids), false);
    }

    @Override
    public List<TriggerBinding> bindings() {
        bindingCalls.incrementAndGet();
        return List.copyOf(bindings);
    }

    @Override
    public Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout) {
        return executions.contains(executionId)
                ? Optional.of(Map.of("id", executionId, "status", "succeeded")) : Optional.empty();
    }

    /** The bindings {@link #bindings()} serves; change them freely. */
    public List<TriggerBinding> bindingList() {
        return bindings;
    }

    /** Adds a binding of version 1. */
    public void watch(String orgId, String workflowId, Map<String, Object> params) {
        bindings.add(new TriggerBinding(orgId, workflowId, 1, params));
    }

    /** The workflow no longer starts executions (as if disabled after the source routed to it). */
    public void disable(String workflowId) {
        disabled.add(workflowId);
    }

    /** Makes every {@code accept} throw {@code f} (null: work again), as when the database is unavailable. */
    public void failWith(RuntimeException f) {
        failure = f;
    }

    /**
     * Makes every {@code accept} commit and then throw {@code f} (null: work again), as when the database
     * connection breaks during the commit.
     */
    public void failAfterCommitWith(RuntimeException f) {
        failureAfterCommit = f;
    }

    /** How often sources asked for {@link #bindings()}. */
    public int bindingCalls() {
        return bindingCalls.get();
    }

    /** Every event handed over and not refused by a failure, repeats included. */
    public List<TriggerEvent> offered() {
        return List.copyOf(offered);
    }

    /** The events that were new (not a repeated dedupe key). */
    public List<TriggerEvent> accepted() {
        return List.copyOf(accepted);
    }
}
