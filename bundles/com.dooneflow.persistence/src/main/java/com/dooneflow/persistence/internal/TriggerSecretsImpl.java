package com.dooneflow.persistence.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import com.dooneflow.api.TriggerSecrets;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.api.store.WorkflowStore;

/**
 * A workflow's trigger secrets out of the vault, and nothing else of it: only the two trigger fields, and only for
 * a workflow the organization has (owner ids of settings entries and workflows share the vault, so an entry's id
 * passed as a workflow id must not open its secrets). During a rotation's grace period the replaced key and
 * signing secret are accepted too; after it they are not, whatever is still stored.
 * <p>
 * Bundle-scoped, like {@link BundleConnectorSettings}: each calling bundle gets its own instance, which answers only
 * for workflows whose trigger type that bundle provides (the webhook connector for {@code webhook} triggers), so no
 * other connector reads a workflow's webhook key or signing secret.
 */
@Component(service = TriggerSecrets.class, scope = ServiceScope.BUNDLE)
public class TriggerSecretsImpl implements TriggerSecrets {

    static final Set<String> FIELDS = Set.of(WorkflowSecrets.WEBHOOK_KEY, WorkflowSecrets.SIGNING_SECRET);
    private static final Map<String, String> PREVIOUS = Map.of(
            WorkflowSecrets.WEBHOOK_KEY, WorkflowSecrets.PREVIOUS_WEBHOOK_KEY,
            WorkflowSecrets.SIGNING_SECRET, WorkflowSecrets.PREVIOUS_SIGNING_SECRET);

    private final WorkflowStore workflows;
    private final SecretVault vault;
    private final Clock clock;
    /** Whether the calling bundle provides a trigger type. */
    private final Predicate<String> callerProvides;

    @Activate
    public TriggerSecretsImpl(ComponentContext context, @Reference WorkflowStore workflows,
                              @Reference SecretVault vault) {
        this(workflows, vault, Clock.systemUTC(), providedBy(context.getUsingBundle()));
    }

    TriggerSecretsImpl(WorkflowStore workflows, SecretVault vault, Clock clock, Predicate<String> callerProvides) {
        this.workflows = workflows;
        this.vault = vault;
        this.clock = clock;
        this.callerProvides = callerProvides;
    }

    /**
     * Whether {@code bundle} provides a trigger type: it ships the type's descriptor file, or registers a
     * {@link TriggerSource} for it (a connector that describes its type only in code). Asked on every call, so a
     * bundle that stops registering its source stops getting secrets.
     */
    static Predicate<String> providedBy(Bundle bundle) {
        return type -> {
            if (bundle == null || type == null) {
                return false;
            }
            if (bundle.getEntry(TypeFiles.FOLDER + "/" + type + ".json") != null) {
                return true;
            }
            ServiceReference<?>[] registered = bundle.getRegisteredServices();
            if (registered == null) {
                return false;
            }
            for (ServiceReference<?> ref : registered) {
                if (type.equals(ref.getProperty(TriggerSource.TYPE))) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public Optional<String> get(String orgId, String workflowId, String field) {
        if (!isTriggerSecret(orgId, workflowId, field)) {
            return Optional.empty();
        }
        return vault.get(orgId, workflowId, field);
    }

    @Override
    public List<String> accepted(String orgId, String workflowId, String field) {
        if (!isTriggerSecret(orgId, workflowId, field)) {
            return List.of();
        }
        List<String> values = new ArrayList<>(2);
        vault.get(orgId, workflowId, field).ifPresent(values::add);
        Optional<Instant> expires = vault.get(orgId, workflowId, WorkflowSecrets.PREVIOUS_EXPIRES_AT)
                .map(TriggerSecretsImpl::epochMillis);
        if (expires.isPresent() && expires.get().isAfter(clock.instant())) {
            vault.get(orgId, workflowId, PREVIOUS.get(field)).ifPresent(values::add);
        }
        return values;
    }

    private boolean isTriggerSecret(String orgId, String workflowId, String field) {
        return orgId != null && workflowId != null && FIELDS.contains(field)
                && workflows.get(orgId, workflowId).filter(w -> callerProvides.test(w.triggerType())).isPresent();
    }

    private static Instant epochMillis(String value) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return Instant.EPOCH; // unreadable: treated as expired, the safe side
        }
    }
}
