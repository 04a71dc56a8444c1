package com.dooneflow.engine.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.WorkflowService;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.api.store.WorkflowStore;

/**
 * Workflows: validated against the installed types, saved as a new version whenever trigger or actions
 * change, secret parameters moved into the vault (owner = workflow, field = the parameter's path).
 */
@Component(service = WorkflowService.class)
public class WorkflowServiceImpl implements WorkflowService {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowServiceImpl.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest a replaced webhook key stays valid after a rotation. */
    static final Duration MAX_GRACE = Duration.ofDays(30);

    private final OrganizationService organizations;
    private final WorkflowStore store;
    private final SecretVault vault;
    private final ConnectorRegistry registry;
    private final Intake intake;

    @Activate
    public WorkflowServiceImpl(@Reference OrganizationService organizations, @Reference WorkflowStore store,
                               @Reference SecretVault vault, @Reference ConnectorRegistry registry,
                               @Reference Intake intake) {
        this.organizations = organizations;
        this.store = store;
        this.vault = vault;
        this.registry = registry;
        this.intake = intake;
    }

    @Override
    public Page<Workflow> list(Principal caller, String orgId, int limit, String cursor) {
        organizations.requireRole(caller, orgId, false);
        Page<WorkflowRow> page = store.list(orgId, limit, cursor);
        return new Page<>(page.items().stream().map(this::toWorkflow).toList(), page.nextCursor());
    }

    @Override
    public Workflow create(Principal caller, String orgId, WorkflowDefinition def) {
        organizations.requireRole(caller, orgId, true);
        validate(orgId, def, Set.of());
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> secrets = new LinkedHashMap<>();
        Definitions.Stored stored = withoutSecrets(def.trigger(), def.actions(), secrets);
        WorkflowRow row = store.insert(new WorkflowRow(id, orgId, def.name().trim(),
                def.enabled() == null || def.enabled(), 1, stored.trigger().type(), triggerKey(stored.trigger()),
                Definitions.write(stored), now, now));
        secrets.forEach((field, value) -> vault.put(orgId, id, field, value));
        intake.bindingsChanged(row.triggerType());
        return toWorkflow(row);
    }

    @Override
    public Workflow get(Principal caller, String orgId, String workflowId) {
        organizations.requireRole(caller, orgId, false);
        return toWorkflow(row(orgId, workflowId));
    }

    @Override
    public Workflow update(Principal caller, String orgId, String workflowId, WorkflowDefinition changes) {
        organizations.requireRole(caller, orgId, true);
        WorkflowRow current = row(orgId, workflowId);
        Definitions.Stored before = Definitions.read(current.definition());
        boolean newDefinition = changes.trigger() != null || changes.actions() != null;
        WorkflowDefinition merged = new WorkflowDefinition(
                changes.name() != null ? changes.name() : current.name(),
                changes.enabled() != null ? changes.enabled() : current.enabled(),
                changes.trigger() != null ? changes.trigger() : before.trigger(),
                changes.actions() != null ? changes.actions() : before.actions());
        // Secrets are kept per position: one carries over only to a step of the same type at that position.
        Set<String> stale = staleSecrets(orgId, workflowId, before, merged);
        Set<String> carried = secretPathsSet(orgId, workflowId, merged);
        carried.removeAll(stale);
        if (newDefinition) {
            validate(orgId, merged, carried);
        } else {
            // Renaming or switching a workflow must work even while one of its connectors is uninstalled.
            validateName(merged);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        stale.forEach(field -> secrets.put(field, null));
        Definitions.Stored stored = withoutSecrets(merged.trigger(), merged.actions(), secrets);
        WorkflowRow row = store.update(new WorkflowRow(workflowId, orgId, merged.name().trim(), merged.enabled(),
                newDefinition ? current.version() + 1 : current.version(), stored.trigger().type(),
                triggerKey(stored.trigger()), newDefinition ? Definitions.write(stored) : current.definition(),
                current.createdAt(), Instant.now().truncatedTo(ChronoUnit.MILLIS)), newDefinition);
        secrets.forEach((field, value) -> vault.put(orgId, workflowId, field, value));
        intake.bindingsChanged(current.triggerType());
        intake.bindingsChanged(row.triggerType());
        return toWorkflow(row);
    }

    @Override
    public void delete(Principal caller, String orgId, String workflowId) {
        organizations.requireRole(caller, orgId, true);
        WorkflowRow row = row(orgId, workflowId);
        store.delete(orgId, workflowId);
        intake.bindingsChanged(row.triggerType());
    }

    @Override
    public Map<String, String> generateWebhookKey(Principal caller, String orgId, String workflowId) {
        return rotateWebhookKey(caller, orgId, workflowId, Duration.ZERO);
    }

    @Override
    public Map<String, String> rotateWebhookKey(Principal caller, String orgId, String workflowId, Duration grace) {
        organizations.requireRole(caller, orgId, true);
        row(orgId, workflowId);
        if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
            throw ValidationException.of("graceSeconds", "must be from 0 to " + MAX_GRACE.toSeconds()
                    + " seconds (30 days)");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        Optional<String> oldKey = vault.get(orgId, workflowId, WorkflowSecrets.WEBHOOK_KEY);
        Optional<String> oldSigning = vault.get(orgId, workflowId, WorkflowSecrets.SIGNING_SECRET);
        if (grace.isZero() || (oldKey.isEmpty() && oldSigning.isEmpty())) {
            vault.put(orgId, workflowId, WorkflowSecrets.PREVIOUS_WEBHOOK_KEY, null);
            vault.put(orgId, workflowId, WorkflowSecrets.PREVIOUS_SIGNING_SECRET, null);
            vault.put(orgId, workflowId, WorkflowSecrets.PREVIOUS_EXPIRES_AT, null);
        } else {
            // The expiry first: a reader that sees the old key as previous also sees when it ends.
            Instant expires = Instant.now().plus(grace).truncatedTo(ChronoUnit.MILLIS);
            vault.put(orgId, workflowId, WorkflowSecrets.PREVIOUS_EXPIRES_AT, Long.toString(expires.toEpochMilli()));
            vault.put(orgId, workflowId, WorkflowSecrets.PREVIOUS_WEBHOOK_KEY, oldKey.orElse(null));
            vault.put(orgId, workflowId, WorkflowSecrets.PREVIOUS_SIGNING_SECRET, oldSigning.orElse(null));
            answer.put("previousKeyExpiresAt", expires.toString());
        }
        String key = random(32);
        String signing = "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
        vault.put(orgId, workflowId, WorkflowSecrets.WEBHOOK_KEY, key);
        vault.put(orgId, workflowId, WorkflowSecrets.SIGNING_SECRET, signing);
        answer.put(WorkflowSecrets.WEBHOOK_KEY, key);
        answer.put(WorkflowSecrets.SIGNING_SECRET, signing);
        return answer;
    }

    @Override
    public Optional<Instant> previousWebhookKeyExpiry(Principal caller, String orgId, String workflowId) {
        organizations.requireRole(caller, orgId, false);
        row(orgId, workflowId);
        return vault.get(orgId, workflowId, WorkflowSecrets.PREVIOUS_EXPIRES_AT)
                .map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)))
                .filter(expires -> expires.isAfter(Instant.now()));
    }

    @Override
    public WorkflowDefinition export(Principal caller, String orgId, String workflowId) {
        organizations.requireRole(caller, orgId, false);
        WorkflowRow row = row(orgId, workflowId);
        Definitions.Stored stored = Definitions.read(row.definition());
        return new WorkflowDefinition(row.name(), row.enabled(), stored.trigger(), stored.actions());
    }

    private WorkflowRow row(String orgId, String workflowId) {
        return store.get(orgId, workflowId).orElseThrow(() -> new NotFoundException("workflow not found"));
    }

    private void validate(String orgId, WorkflowDefinition def, Set<String> secretsSet) {
        List<FieldError> errors = new ArrayList<>(new WorkflowValidator(registry.triggerTypes(), registry.actionTypes(),
                optionsOf(orgId)).validate(def, secretsSet));
        if (errors.isEmpty()) {
            // The parameters are well-formed: now the source's own checks (an inbox of this organization...).
            registry.triggerSource(def.trigger().type()).ifPresent(source -> source
                    .validate(orgId, def.trigger().params() == null ? Map.of() : def.trigger().params())
                    .forEach(e -> errors.add(new FieldError("trigger.params." + e.field(), e.message()))));
        }
        // Each action whose parameters passed the descriptor's checks: its handler's own (header names...).
        boolean actionsChecked = errors.stream().noneMatch(e -> e.field().equals("actions"));
        for (int i = 0; actionsChecked && i < def.actions().size(); i++) {
            String path = "actions[" + i + "]";
            StepSpec action = def.actions().get(i);
            if (errors.stream().anyMatch(e -> e.field().equals(path) || e.field().startsWith(path + "."))) {
                continue;
            }
            registry.actionHandler(action.type()).ifPresent(handler -> handler.validate(orgId, action.params())
                    .forEach(e -> errors.add(new FieldError(path + ".params." + e.field(), e.message()))));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /**
     * The organization's options of a source, asked once per source for one save. A source that fails to answer
     * leaves its values unchecked here (the connector's own validate still runs) rather than refusing every save.
     */
    private Function<String, Optional<List<OptionSource.Option>>> optionsOf(String orgId) {
        Map<String, Optional<List<OptionSource.Option>>> asked = new HashMap<>();
        return source -> asked.computeIfAbsent(source, id -> registry.optionSource(id).flatMap(s -> {
            try {
                return Optional.of(s.options(orgId));
            } catch (RuntimeException e) {
                LOG.warn("Option source {} failed to list the options of organization {}; its values are not checked",
                        id, orgId, e);
                return Optional.empty();
            }
        }));
    }

    private static void validateName(WorkflowDefinition def) {
        if (def.name() == null || def.name().isBlank() || def.name().length() > 200) {
            throw ValidationException.of("name", "is required, at most 200 characters");
        }
    }

    /** Vault fields of steps that are gone or whose type changed at their position. */
    private Set<String> staleSecrets(String orgId, String workflowId, Definitions.Stored before, WorkflowDefinition after) {
        Set<String> stale = new HashSet<>();
        staleAt(stale, "trigger", before.trigger(), after.trigger(), registry.triggerTypes(), orgId, workflowId);
        for (int i = 0; i < before.actions().size(); i++) {
            StepSpec now = after.actions() != null && i < after.actions().size() ? after.actions().get(i) : null;
            staleAt(stale, "actions[" + i + "]", before.actions().get(i), now, registry.actionTypes(), orgId, workflowId);
        }
        return stale;
    }

    private void staleAt(Set<String> stale, String path, StepSpec before, StepSpec after, List<TypeDescriptor> types,
                         String orgId, String workflowId) {
        if (after != null && before.type().equals(after.type())) {
            return;
        }
        for (ParameterDescriptor p : secretParams(before.type(), types)) {
            String field = path + ".params." + p.name();
            if (vault.isSet(orgId, workflowId, field)) {
                stale.add(field);
            }
        }
    }

    /**
     * The trigger's routing key: its {@code path} in lower case, unique per trigger type across the installation
     * (a unique index), so paths that differ only in case are one path and two saves racing cannot both win.
     */
    static String triggerKey(StepSpec trigger) {
        Object path = trigger.params().get("path");
        return path instanceof String s && !s.isBlank() ? s.toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** Splits secret parameters off into {@code secrets} (vault field → value). */
    private Definitions.Stored withoutSecrets(StepSpec trigger, List<StepSpec> actions, Map<String, String> secrets) {
        StepSpec t = strip("trigger", trigger, registry.triggerTypes(), secrets);
        List<StepSpec> a = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            a.add(strip("actions[" + i + "]", actions.get(i), registry.actionTypes(), secrets));
        }
        return new Definitions.Stored(t, a);
    }

    private static StepSpec strip(String path, StepSpec spec, List<TypeDescriptor> types, Map<String, String> secrets) {
        Map<String, Object> params = new LinkedHashMap<>(spec.params());
        for (ParameterDescriptor p : secretParams(spec.type(), types)) {
            Object value = params.remove(p.name());
            params.remove(p.name() + "Set");
            if (value instanceof String s) {
                secrets.put(path + ".params." + p.name(), s); // "" clears the secret
            }
        }
        return Definitions.copy(spec, params);
    }

    private Set<String> secretPathsSet(String orgId, String workflowId, WorkflowDefinition def) {
        Set<String> set = new HashSet<>();
        addSet(set, orgId, workflowId, "trigger", def.trigger(), registry.triggerTypes());
        for (int i = 0; def.actions() != null && i < def.actions().size(); i++) {
            addSet(set, orgId, workflowId, "actions[" + i + "]", def.actions().get(i), registry.actionTypes());
        }
        return set;
    }

    private void addSet(Set<String> set, String orgId, String workflowId, String path, StepSpec spec,
                        List<TypeDescriptor> types) {
        if (spec == null) {
            return;
        }
        for (ParameterDescriptor p : secretParams(spec.type(), types)) {
            String field = path + ".params." + p.name();
            if (vault.isSet(orgId, workflowId, field)) {
                set.add(field);
            }
        }
    }

    static List<ParameterDescriptor> secretParams(String type, List<TypeDescriptor> types) {
        return types.stream().filter(t -> t.type().equals(type)).findFirst()
                .map(t -> t.parameters().stream().filter(ParameterDescriptor::secret).toList()).orElse(List.of());
    }

    private Workflow toWorkflow(WorkflowRow row) {
        Definitions.Stored stored = Definitions.read(row.definition());
        StepSpec trigger = showSecrets(row, "trigger", stored.trigger(), registry.triggerTypes());
        List<StepSpec> actions = new ArrayList<>();
        for (int i = 0; i < stored.actions().size(); i++) {
            actions.add(showSecrets(row, "actions[" + i + "]", stored.actions().get(i), registry.actionTypes()));
        }
        return new Workflow(row.id(), row.organizationId(), row.name(), row.enabled(), row.version(), trigger, actions,
                vault.isSet(row.organizationId(), row.id(), WorkflowSecrets.WEBHOOK_KEY), row.createdAt(), row.updatedAt());
    }

    private StepSpec showSecrets(WorkflowRow row, String path, StepSpec spec, List<TypeDescriptor> types) {
        List<ParameterDescriptor> secret = secretParams(spec.type(), types);
        if (secret.isEmpty()) {
            return spec;
        }
        Map<String, Object> params = new LinkedHashMap<>(spec.params());
        for (ParameterDescriptor p : secret) {
            params.put(p.name() + "Set", vault.isSet(row.organizationId(), row.id(), path + ".params." + p.name()));
        }
        return Definitions.copy(spec, params);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String random(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(n));
    }

}
