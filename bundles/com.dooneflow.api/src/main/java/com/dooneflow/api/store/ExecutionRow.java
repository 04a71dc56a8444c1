package com.dooneflow.api.store;

import java.time.Instant;

/** An execution as stored; JSON columns are JSON text. */
public record ExecutionRow(String id, String organizationId, String workflowId, int workflowVersion, String status,
                           String triggerType, String triggerData, String variables, int currentStep,
                           String waitingFor, String error, Instant nextAttemptAt, Instant createdAt,
                           Instant startedAt, Instant finishedAt, boolean cancelRequested) {

    /** A row without a pending cancellation. */
    public ExecutionRow(String id, String organizationId, String workflowId, int workflowVersion, String status,
                        String triggerType, String triggerData, String variables, int currentStep, String waitingFor,
                        String error, Instant nextAttemptAt, Instant createdAt, Instant startedAt, Instant finishedAt) {
        this(id, organizationId, workflowId, workflowVersion, status, triggerType, triggerData, variables, currentStep,
                waitingFor, error, nextAttemptAt, createdAt, startedAt, finishedAt, false);
    }
}
