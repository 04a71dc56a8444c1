package com.dooneflow.api.spi;

import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable notes a connector attaches to one step of an execution, committed at once and independent of the
 * step's result: a "sending" marker written before a side effect whose outcome a crash could make uncertain, or
 * a delivery status that arrives later by callback. They show on the execution's step as {@code notes}.
 */
@ProviderType
public interface StepJournal {

    /** Creates or replaces the note {@code key} of the step. */
    void put(String executionId, int stepIndex, String key, Map<String, Object> value);

    Optional<Map<String, Object>> get(String executionId, int stepIndex, String key);

    /**
     * Replaces the note {@code key} of the step with {@code change} applied to the current one (null when there
     * is none yet) while holding its database row lock, so read-modify-write updates from any node apply one after
     * the other (e.g. delivery statuses that must only move forward). Returns the note stored.
     */
    Map<String, Object> update(String executionId, int stepIndex, String key,
                               UnaryOperator<Map<String, Object>> change);

    /** Every note of the execution: step index → key → note. */
    Map<Integer, Map<String, Map<String, Object>>> notes(String executionId);
}
