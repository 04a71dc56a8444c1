package com.dooneflow.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/** The executions of an organization (the Events page). */
@ProviderType
public interface ExecutionService {

    /** Newest first; every filter optional. */
    Page<Execution> list(Principal caller, String orgId, String workflowId, ExecutionStatus status, Instant from,
                         Instant to, int limit, String cursor);

    /** One execution with its steps. */
    Execution get(Principal caller, String orgId, String executionId);

    /** Runs a failed execution again from the step that failed. Owners and admins only. */
    Execution retry(Principal caller, String orgId, String executionId);
}
