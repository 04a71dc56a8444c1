package com.dooneflow.api;

/**
 * Where an execution is: queued (due now or at its next retry), running, waiting (for a connector that is not
 * installed), succeeded, failed, or cancelled by a person.
 */
public enum ExecutionStatus {
    QUEUED, RUNNING, WAITING, SUCCEEDED, FAILED, CANCELLED;

    /** Succeeded, failed or cancelled: nothing more happens unless someone retries it. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
