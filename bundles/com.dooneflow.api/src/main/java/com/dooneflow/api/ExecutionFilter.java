package com.dooneflow.api;

import java.time.Instant;

/**
 * Which executions a list shows; every part is optional (null). {@code text} matches, case-insensitively, anywhere
 * in the trigger data as delivered (a contact's name, email or phone, an order number...). {@code test}: true for
 * test runs only, false for real runs only, null for both.
 */
public record ExecutionFilter(String workflowId, ExecutionStatus status, Instant from, Instant to, String text,
                              Boolean test) {

    /** No filter: every execution of the organization. */
    public static final ExecutionFilter ALL = new ExecutionFilter(null, null, null, null, null, null);

    /** Test runs and real runs alike. */
    public ExecutionFilter(String workflowId, ExecutionStatus status, Instant from, Instant to, String text) {
        this(workflowId, status, from, to, text, null);
    }
}
