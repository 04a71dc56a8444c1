package com.dooneflow.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The engine's intake, handed to every {@link TriggerSource}. */
@ProviderType
public interface TriggerSink {

    /**
     * Commits the event and the executions of the workflows it fires in one transaction; returns only once
     * that is durable. A repeated dedupe key returns the first delivery's executions and creates none.
     * Workflows in {@code event.workflowIds()} that are disabled, deleted or of another organization are
     * skipped, so a source routing from a stale cache never starts what it should not.
     *
     * @throws com.dooneflow.api.OutcomeUnknownException when the commit may or may not have happened (the
     *         database connection failed during it); any other exception means nothing was committed
     */
    Acceptance accept(TriggerEvent event);

    /** The enabled workflows whose trigger has this source's type, with their trigger parameters. */
    List<TriggerBinding> bindings();

    /**
     * Waits until the execution has finished (succeeded or failed) or the timeout passes, then returns the
     * execution as the REST API shows it (status, steps with their inputs, outputs and errors).
     */
    Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout);

    /**
     * @param duplicate true when the dedupe key was seen before and nothing new was created
     * @param stale     true when nothing was committed because a workflow is stored in another version than the
     *                  event's {@link TriggerEvent#workflowVersions()}: refresh the bindings, check the caller against
     *                  the fresh one and send the event again
     */
    record Acceptance(List<String> executionIds, boolean duplicate, boolean stale) {

        public Acceptance(List<String> executionIds, boolean duplicate) {
            this(executionIds, duplicate, false);
        }

        /** Nothing committed: the routing was older than the stored workflow. */
        public static Acceptance staleRouting() {
            return new Acceptance(List.of(), false, true);
        }
    }
}
