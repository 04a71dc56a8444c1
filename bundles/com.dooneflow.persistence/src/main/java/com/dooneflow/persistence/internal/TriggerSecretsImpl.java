package com.dooneflow.persistence.internal;

import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.TriggerSecrets;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.api.store.WorkflowStore;

/**
 * A workflow's trigger secrets out of the vault, and nothing else of it: only the two trigger fields, and only for
 * a workflow the organization has (owner ids of settings entries and workflows share the vault, so an entry's id
 * passed as a workflow id must not open its secrets).
 */
@Component(service = TriggerSecrets.class)
public class TriggerSecretsImpl implements TriggerSecrets {

    static final Set<String> FIELDS = Set.of(WorkflowSecrets.WEBHOOK_KEY, WorkflowSecrets.SIGNING_SECRET);

    private final WorkflowStore workflows;
    private final SecretVault vault;

    @Activate
    public TriggerSecretsImpl(@Reference WorkflowStore workflows, @Reference SecretVault vault) {
        this.workflows = workflows;
        this.vault = vault;
    }

    @Override
    public Optional<String> get(String orgId, String workflowId, String field) {
        if (orgId == null || workflowId == null || !FIELDS.contains(field)
                || workflows.get(orgId, workflowId).isEmpty()) {
            return Optional.empty();
        }
        return vault.get(orgId, workflowId, field);
    }
}
