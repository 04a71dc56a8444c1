package com.dooneflow.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run of a workflow version for one trigger event. {@code waitingFor} names the action type that is not
 * installed while the status is {@link ExecutionStatus#WAITING}; {@code cancelRequested} says a running execution
 * was cancelled and stops at its next step boundary; {@code steps} is filled only for one execution.
 * {@code workflowName} is the workflow's name now (null once it was deleted); {@code contact} is who the trigger was
 * about — {@code name}, {@code email} and {@code phone}, each only when the trigger data has it. {@code test} marks a
 * test run (a sample event sent from the workflow builder): listed on Events, left out of the dashboard's counts.
 */
public record Execution(String id, String organizationId, String workflowId, String workflowName,
                        int workflowVersion, ExecutionStatus status, String triggerType,
                        Map<String, Object> triggerData, Map<String, String> contact, int currentStep,
                        String waitingFor, String error, Instant nextAttemptAt, Instant createdAt, Instant startedAt,
                        Instant finishedAt, boolean cancelRequested, List<StepRun> steps, boolean test) {

    /** An execution that is not a test run. */
    public Execution(String id, String organizationId, String workflowId, String workflowName,
                     int workflowVersion, ExecutionStatus status, String triggerType,
                     Map<String, Object> triggerData, Map<String, String> contact, int currentStep,
                     String waitingFor, String error, Instant nextAttemptAt, Instant createdAt, Instant startedAt,
                     Instant finishedAt, boolean cancelRequested, List<StepRun> steps) {
        this(id, organizationId, workflowId, workflowName, workflowVersion, status, triggerType, triggerData, contact,
                currentStep, waitingFor, error, nextAttemptAt, createdAt, startedAt, finishedAt, cancelRequested, steps,
                false);
    }

    /** An execution without its workflow's name and contact. */
    public Execution(String id, String organizationId, String workflowId, int workflowVersion,
                     ExecutionStatus status, String triggerType, Map<String, Object> triggerData, int currentStep,
                     String waitingFor, String error, Instant nextAttemptAt, Instant createdAt, Instant startedAt,
                     Instant finishedAt, boolean cancelRequested, List<StepRun> steps) {
        this(id, organizationId, workflowId, null, workflowVersion, status, triggerType, triggerData, Map.of(),
                currentStep, waitingFor, error, nextAttemptAt, createdAt, startedAt, finishedAt, cancelRequested,
                steps);
    }
}
