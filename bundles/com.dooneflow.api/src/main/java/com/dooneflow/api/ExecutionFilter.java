package com.dooneflow.api;

import java.time.Instant;

/**
 * Which executions a list shows; every part is optional (null). {@code text} matches, case-insensitively, anywhere
 * in the trigger data as delivered (a contact's name, email or phone, an order number...).
 */
public record ExecutionFilter(String workflowId, ExecutionStatus status, Instant from, Instant to, String text) {

    /** No filter: every execution of the organization. */
    public static final ExecutionFilter ALL = new ExecutionFilter(null, null, null, null, null);
}
