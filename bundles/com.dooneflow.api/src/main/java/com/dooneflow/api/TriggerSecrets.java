package com.dooneflow.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The secrets the engine generated for a workflow's trigger ({@link WorkflowSecrets#WEBHOOK_KEY},
 * {@link WorkflowSecrets#SIGNING_SECRET}), for the trigger source that authenticates its callers with them.
 * <p>
 * This is all of the vault a connector sees: it names a workflow of an organization and one of those two fields,
 * nothing else, so the secrets of settings entries and a workflow's secret action parameters stay out of reach.
 */
@ProviderType
public interface TriggerSecrets {

    /**
     * The field's value for the organization's workflow; empty if it was never generated, if the organization has
     * no such workflow, or if {@code field} is not one of {@link WorkflowSecrets}' trigger secrets.
     */
    Optional<String> get(String orgId, String workflowId, String field);

    /**
     * Every value a caller may present for the field now: the current one first, then, while the grace period of
     * the last rotation lasts, the one it replaced. Empty as {@link #get} is.
     */
    default List<String> accepted(String orgId, String workflowId, String field) {
        return get(orgId, workflowId, field).map(List::of).orElse(List.of());
    }
}
