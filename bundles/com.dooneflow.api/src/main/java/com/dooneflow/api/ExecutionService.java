package com.dooneflow.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/** The executions of an organization (the Events page). */
@ProviderType
public interface ExecutionService {

    /** Newest first; every filter optional. */
    default Page<Execution> list(Principal caller, String orgId, String workflowId, ExecutionStatus status,
                                 Instant from, Instant to, int limit, String cursor) {
        return list(caller, orgId, new ExecutionFilter(workflowId, status, from, to, null), limit, cursor);
    }

    /** Newest first, each with its workflow's name and its trigger's contact; {@code steps} is null here. */
    Page<Execution> list(Principal caller, String orgId, ExecutionFilter filter, int limit, String cursor);

    /**
     * One execution with its steps: every action of its workflow version, those that have not run (yet) included,
     * failures explained in plain language.
     */
    Execution get(Principal caller, String orgId, String executionId);

    /** Runs a failed or cancelled execution again from the step where it stopped. Owners and admins only. */
    Execution retry(Principal caller, String orgId, String executionId);

    /**
     * Cancels an execution that has not finished. Owners and admins only. A queued, retrying or waiting one is
     * cancelled at once; a running one stops at its next step boundary (its running step is interrupted where the
     * connector allows it), and until then the answer shows it running with {@code cancelRequested}. Cancelling a
     * finished execution is a conflict.
     */
    Execution cancel(Principal caller, String orgId, String executionId);

    /**
     * Cancels every execution of a workflow that has not finished (as {@link #cancel}), for instance when the
     * workflow is disabled or deleted; returns how many. Owners and admins only.
     */
    int cancelUnfinished(Principal caller, String orgId, String workflowId);
}
