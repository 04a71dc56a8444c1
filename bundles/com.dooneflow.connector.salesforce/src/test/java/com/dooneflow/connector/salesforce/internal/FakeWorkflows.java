package com.dooneflow.connector.salesforce.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowService;

/**
 * The workflows of one organization in memory, listed two to a page (so callers must follow the cursor). An action
 * of type {@value #NOT_INSTALLED} makes an update fail validation, as a connector that is not installed does.
 */
final class FakeWorkflows implements WorkflowService {

    static final String NOT_INSTALLED = "absent.type";

    final Map<String, Workflow> byId = new LinkedHashMap<>();

    String add(String name, StepSpec... actions) {
        String id = "wf-" + (byId.size() + 1);
        byId.put(id, new Workflow(id, Fakes.ORG, name, true, 1, new StepSpec("webhook", Map.of("path", id), null),
                List.of(actions), false, Instant.EPOCH, Instant.EPOCH));
        return id;
    }

    @Override
    public Page<Workflow> list(Principal caller, String orgId, int limit, String cursor) {
        List<Workflow> all = new ArrayList<>(byId.values());
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        int to = Math.min(all.size(), from + 2);
        return new Page<>(all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
    }

    @Override
    public Workflow update(Principal caller, String orgId, String workflowId, WorkflowDefinition changes) {
        Workflow w = byId.get(workflowId);
        for (int i = 0; i < changes.actions().size(); i++) {
            if (NOT_INSTALLED.equals(changes.actions().get(i).type())) {
                throw new ValidationException(List.of(new FieldError("actions[" + i + "].type",
                        "unknown action type " + NOT_INSTALLED)));
            }
        }
        Workflow changed = new Workflow(w.id(), w.organizationId(), w.name(), w.enabled(), w.version() + 1,
                w.trigger(), changes.actions(), w.webhookKeySet(), w.createdAt(), Instant.EPOCH);
        byId.put(workflowId, changed);
        return changed;
    }

    @Override
    public Workflow create(Principal caller, String orgId, WorkflowDefinition definition) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Workflow get(Principal caller, String orgId, String workflowId) {
        return byId.get(workflowId);
    }

    @Override
    public void delete(Principal caller, String orgId, String workflowId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> generateWebhookKey(Principal caller, String orgId, String workflowId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> rotateWebhookKey(Principal caller, String orgId, String workflowId,
                                                java.time.Duration grace) {
        throw new UnsupportedOperationException();
    }

    @Override
    public java.util.Optional<Instant> previousWebhookKeyExpiry(Principal caller, String orgId, String workflowId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WorkflowDefinition export(Principal caller, String orgId, String workflowId) {
        throw new UnsupportedOperationException();
    }
}
