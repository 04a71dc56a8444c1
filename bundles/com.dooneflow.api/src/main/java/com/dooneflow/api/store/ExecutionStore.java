package com.dooneflow.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.Page;
import com.dooneflow.api.spi.TriggerSink;

import org.osgi.annotation.versioning.ProviderType;

/** The durable execution spine: intake, claims with leases, step results. */
@ProviderType
public interface ExecutionStore {

    /**
     * In one transaction: records the trigger event (a repeated dedupe key returns the first delivery's
     * executions) and queues one execution per enabled workflow of the organization that it fires — the
     * listed ids, or every enabled workflow with this trigger type when the list is empty.
     *
     * @throws com.dooneflow.api.OutcomeUnknownException when the commit may or may not have happened; any other
     *         exception means nothing was committed
     */
    TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                  String dataJson);

    /** As {@link #intake(String, String, List, String, String)}; {@code test} marks the executions as test runs. */
    default TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                          String dataJson, boolean test) {
        return intake(orgId, triggerType, workflowIds, dedupeKey, dataJson);
    }

    /**
     * As {@link #intake(String, String, List, String, String, boolean)}, committing nothing and answering
     * {@link TriggerSink.Acceptance#staleRouting()} when a workflow in {@code workflowVersions} (id → version the caller
     * routed by) is stored in another version. The check is part of the intake's own statements: no extra round trip.
     */
    default TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                          String dataJson, boolean test, Map<String, Integer> workflowVersions) {
        if (workflowVersions != null && !workflowVersions.isEmpty()) {
            // Never accept unchecked what the caller asked to check.
            throw new UnsupportedOperationException("this store cannot check workflow versions");
        }
        return intake(orgId, triggerType, workflowIds, dedupeKey, dataJson, test);
    }

    /**
     * As {@link #intake(String, String, List, String, String, boolean, Map)}, and, when {@code node} is not null, the
     * first execution it creates is committed already leased to that node for {@code lease}: the node that accepted
     * the event runs it at once, without claiming it (a transaction and three statements fewer). The lease is an
     * ordinary one: if the node goes away before finishing, the execution is taken over when the lease runs out.
     * A store that cannot lease at intake queues every execution and returns no claim.
     */
    default LeasedIntake intakeLeased(String orgId, String triggerType, List<String> workflowIds, String dedupeKey,
                                      String dataJson, boolean test, Map<String, Integer> workflowVersions,
                                      String node, Duration lease) {
        return new LeasedIntake(intake(orgId, triggerType, workflowIds, dedupeKey, dataJson, test, workflowVersions),
                Optional.empty());
    }

    /** What {@link #intakeLeased} committed: the caller's answer, and the claim of the execution leased at intake. */
    record LeasedIntake(TriggerSink.Acceptance acceptance, Optional<Claim> claim) {
    }

    /** Claims up to {@code max} due executions for this node (queued and due, or running with an expired lease). */
    List<Claim> claim(String node, int max, Duration lease);

    /**
     * Claims as {@link #claim(String, int, Duration)}, fairly across organizations: those with due work take turns,
     * and none gets more than {@code perOrganization} running on this node ({@code running} holds each one's count
     * now), however long its backlog — the others' executions are found past it.
     */
    default List<Claim> claim(String node, int max, Duration lease, int perOrganization, Map<String, Integer> running) {
        return claim(node, max, lease);
    }

    /**
     * Claims as {@link #claim(String, int, Duration, int, Map)}, taking executions that wait for an action type only
     * when {@code actionTypes} (those this node runs) holds it.
     */
    default List<Claim> claim(String node, int max, Duration lease, int perOrganization, Map<String, Integer> running,
                              Set<String> actionTypes) {
        return claim(node, max, lease, perOrganization, running);
    }

    /** Extends the lease; false when it was lost or the execution was cancelled (see {@link #stopIfCancelled}). */
    boolean renew(Claim claim, Duration lease);

    /**
     * Records an attempt whose outcome never came back (its holder's lease ran out, or it outlived its time limit)
     * as a failed attempt of the step, without ending the claim; the caller decides to try again or give up.
     */
    boolean attemptLost(Claim claim, int index, String type, String error);

    /** Ends a held execution as cancelled if a cancellation was requested; false otherwise or when not held. */
    boolean stopIfCancelled(Claim claim);

    /**
     * Cancels an execution of the organization: a queued, waiting or running-but-abandoned one at once, a running
     * one by asking its holder to stop. Empty when there is no such execution.
     */
    Optional<CancelOutcome> cancel(String orgId, String executionId);

    /** Cancels every unfinished execution of a workflow (as {@link #cancel}); returns how many. */
    int cancelUnfinished(String orgId, String workflowId);

    /** What {@link #cancel} did. */
    enum CancelOutcome {
        /** It was not running: it is cancelled now. */
        CANCELLED,
        /** It is running: its holder stops at the next step boundary. */
        REQUESTED,
        /** It had already finished (or a cancellation was already pending): nothing changed. */
        UNCHANGED
    }

    /** Records a succeeded step, the variables after it, and moves on to the next step. */
    boolean stepSucceeded(Claim claim, int index, String type, String input, String output, String variables);

    /** Records a failed attempt and queues the execution again at {@code retryAt} (cancels it if that was asked). */
    boolean stepRetry(Claim claim, int index, String type, String input, String error, Instant retryAt);

    /** Records the failed step and marks the execution failed. */
    boolean stepFailed(Claim claim, int index, String type, String input, String error);

    boolean succeeded(Claim claim);

    /** The last step succeeded: records it and finishes the execution, in one transaction where possible. */
    default boolean lastStepSucceeded(Claim claim, int index, String type, String input, String output,
                                      String variables) {
        return stepSucceeded(claim, index, type, input, output, variables) && succeeded(claim);
    }

    /**
     * The step's action type is not installed here: park the execution, re-checked at {@code recheckAt} — or at once
     * when a living node advertises the type, so that node takes it.
     */
    boolean waiting(Claim claim, String actionType, Instant recheckAt);

    /** Gives the claim back untouched (shutdown). */
    void release(Claim claim);

    /** Executions waiting for this action type become due now; returns how many. */
    int wakeWaiting(String actionType);

    default Page<ExecutionRow> list(String orgId, String workflowId, String status, Instant from, Instant to,
                                    int limit, String cursor) {
        return list(orgId, new ExecutionFilter(workflowId,
                status == null ? null : ExecutionStatus.valueOf(status.toUpperCase(Locale.ROOT)), from, to, null),
                limit, cursor);
    }

    /** The organization's executions, newest first, that match every part of the filter given. */
    Page<ExecutionRow> list(String orgId, ExecutionFilter filter, int limit, String cursor);

    Optional<ExecutionRow> get(String orgId, String executionId);

    /** Any organization: the engine awaiting a test run. */
    Optional<ExecutionRow> get(String executionId);

    List<StepRow> steps(String executionId);

    /** The execution's step attempts, by step and then oldest first. */
    default List<AttemptRow> attempts(String executionId) {
        return List.of();
    }

    /** A failed or cancelled execution becomes queued again from its last step; false when it is neither. */
    boolean retry(String orgId, String executionId);
}
