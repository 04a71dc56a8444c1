package com.dooneflow.api.store;

import java.time.Instant;

/** An execution as stored; JSON columns are JSON text. {@code test} marks a test run. */
public record ExecutionRow(String id, String organizationId, String workflowId, int workflowVersion, String status,
                           String triggerType, String triggerData, String variables, int currentStep,
                           String waitingFor, String error, Instant nextAttemptAt, Instant createdAt,
                           Instant startedAt, Instant finishedAt, boolean cancelRequested, boolean test) {

    /** A row that is not a test run. */
    public ExecutionRow(String id, String organizationId, String workflowId, int workflowVersion, String status,
                        String triggerType, String triggerData, String variables, int currentStep, String waitingFor,
                        String error, Instant nextAttemptAt, Instant createdAt, Instant startedAt, Instant finishedAt,
                        boolean cancelRequested) {
        this(id, organizationId, workflowId, workflowVersion, status, triggerType, triggerData, variables, currentStep,
                waitingFor, error, nextAttemptAt, createdAt, startedAt, finishedAt, cancelRequested, false);
    }

    /** A row without a pending cancellation. */
    public ExecutionRow(String id, String organizationId, String workflowId, int workflowVersion, String status,
                        String triggerType, String triggerData, String variables, int currentStep, String waitingFor,
                        String error, Instant nextAttemptAt, Instant createdAt, Instant startedAt, Instant finishedAt) {
        this(id, organizationId, workflowId, workflowVersion, status, triggerType, triggerData, variables, currentStep,
                waitingFor, error, nextAttemptAt, createdAt, startedAt, finishedAt, false);
    }
}
