package com.dooneflow.api.store;

import java.util.List;
import java.util.Optional;

import com.dooneflow.api.Page;

import org.osgi.annotation.versioning.ProviderType;

/** Versioned workflows. A trigger key already used by another workflow of the type is a ConflictException. */
@ProviderType
public interface WorkflowStore {

    WorkflowRow insert(WorkflowRow row);

    /** Saves name/enabled and, when {@code newDefinition} is true, the definition as the next version. */
    WorkflowRow update(WorkflowRow row, boolean newDefinition);

    Optional<WorkflowRow> get(String orgId, String workflowId);

    /** The definition JSON of one version. */
    Optional<String> definition(String workflowId, int version);

    Page<WorkflowRow> list(String orgId, int limit, String cursor);

    boolean delete(String orgId, String workflowId);

    /** Enabled workflows whose trigger has this type, in every organization. */
    List<WorkflowRow> enabledWithTrigger(String triggerType);

    /**
     * A number that grows with every committed change of any workflow (insert, update, delete), on whichever node
     * made it: nodes compare it to learn that their cached routing is stale.
     */
    long changes();
}
