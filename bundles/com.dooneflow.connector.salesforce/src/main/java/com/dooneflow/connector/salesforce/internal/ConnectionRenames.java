package com.dooneflow.connector.salesforce.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowService;

/**
 * Workflows name their Salesforce connection (parameter {@value WriteRecordAction#CONNECTION} of
 * {@value WriteRecordAction#TYPE}). When a connection is renamed, every workflow of the organization that named it
 * is changed to the new name, each as a new version, so a rename never breaks a workflow. Executions already
 * running keep the version they started with.
 */
final class ConnectionRenames {

    /** What the rename did to the workflows: those changed, and those that could not be (with the reason). */
    record Outcome(List<Map<String, Object>> updated, List<Map<String, Object>> notUpdated) {
    }

    private ConnectionRenames() {
    }

    static Outcome follow(WorkflowService workflows, Principal caller, String orgId, String from, String to) {
        List<Workflow> all = new ArrayList<>();
        String cursor = null;
        do { // read every page first: each update moves a workflow in the list's order
            Page<Workflow> page = workflows.list(caller, orgId, 500, cursor);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);

        List<Map<String, Object>> updated = new ArrayList<>();
        List<Map<String, Object>> notUpdated = new ArrayList<>();
        for (Workflow workflow : all) {
            List<StepSpec> actions = renamed(workflow.actions(), from, to);
            if (actions == null) {
                continue;
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("id", workflow.id());
            summary.put("name", workflow.name());
            try {
                workflows.update(caller, orgId, workflow.id(), new WorkflowDefinition(null, null, null, actions));
                updated.add(summary);
            } catch (ValidationException e) {
                // e.g. another of its actions belongs to a connector that is not installed right now
                summary.put("reason", e.errors().stream().map(error -> error.field() + ": " + error.message())
                        .collect(Collectors.joining("; ")));
                notUpdated.add(summary);
            }
        }
        return new Outcome(updated, notUpdated);
    }

    /** The actions with each {@code connection} equal to {@code from} set to {@code to}; null when none was. */
    static List<StepSpec> renamed(List<StepSpec> actions, String from, String to) {
        boolean changed = false;
        List<StepSpec> result = new ArrayList<>();
        for (StepSpec action : actions) {
            if (WriteRecordAction.TYPE.equals(action.type())
                    && from.equals(action.params().get(WriteRecordAction.CONNECTION))) {
                Map<String, Object> params = new LinkedHashMap<>(action.params());
                params.put(WriteRecordAction.CONNECTION, to);
                result.add(new StepSpec(action.type(), params, action.retry()));
                changed = true;
            } else {
                result.add(action);
            }
        }
        return changed ? result : null;
    }
}
