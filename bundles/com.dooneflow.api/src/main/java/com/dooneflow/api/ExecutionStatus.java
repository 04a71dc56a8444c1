package com.dooneflow.api;

/** Where an execution is: queued, running, waiting (for a connector that is not installed), succeeded, failed. */
public enum ExecutionStatus {
    QUEUED, RUNNING, WAITING, SUCCEEDED, FAILED
}
