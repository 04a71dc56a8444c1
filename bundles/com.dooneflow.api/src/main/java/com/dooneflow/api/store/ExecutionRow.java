package com.dooneflow.api.store;

import java.time.Instant;

/** An execution as stored; JSON columns are JSON text. */
public record ExecutionRow(String id, String organizationId, String workflowId, int workflowVersion, String status,
                           String triggerType, String triggerData, String variables, int currentStep,
                           String waitingFor, String error, Instant nextAttemptAt, Instant createdAt,
                           Instant startedAt, Instant finishedAt) {
}
