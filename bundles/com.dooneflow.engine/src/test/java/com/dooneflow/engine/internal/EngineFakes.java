package com.dooneflow.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Member;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.api.store.StepRow;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.api.store.WorkflowStore;

/** Plain in-memory fakes of the engine's collaborators, shared by the engine unit tests. */
final class EngineFakes {

    private EngineFakes() {
    }

    static TypeDescriptor action(String type, ParameterDescriptor... params) {
        return new TypeDescriptor(type, TypeDescriptor.Kind.ACTION, type, null, List.of(params));
    }

    static TypeDescriptor trigger(String type, ParameterDescriptor... params) {
        return new TypeDescriptor(type, TypeDescriptor.Kind.TRIGGER, type, null, List.of(params));
    }

    /** An ordered map that allows null values. */
    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Records every write with its arguments, in order; answers true unless told otherwise. */
    static class FakeExecutionStore implements ExecutionStore {

        /** One recorded call; fields a method does not have are null. */
        record Call(String method, Claim claim, Integer index, String type, String input, String output,
                    String variables, String error, Instant at, Duration lease) {

            /** method, or method:index when there is an index. */
            String label() {
                return index == null ? method : method + ":" + index;
            }
        }

        /** Written by a worker thread and the heartbeat at once in the time-limit tests. */
        final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean renewResult = true;
        boolean stepSucceededResult = true;

        List<String> labels() {
            synchronized (calls) {
                return calls.stream().map(Call::label).toList();
            }
        }

        List<Call> calls(String method) {
            synchronized (calls) {
                return calls.stream().filter(c -> c.method().equals(method)).toList();
            }
        }

        Call only(String method) {
            List<Call> found = calls(method);
            if (found.size() != 1) {
                throw new AssertionError("expected exactly one " + method + " call but got " + labels());
            }
            return found.get(0);
        }

        @Override
        public boolean renew(Claim claim, Duration lease) {
            calls.add(new Call("renew", claim, null, null, null, null, null, null, null, lease));
            return renewResult;
        }

        @Override
        public boolean stepSucceeded(Claim claim, int index, String type, String input, String output,
                                     String variables) {
            calls.add(new Call("stepSucceeded", claim, index, type, input, output, variables, null, null, null));
            return stepSucceededResult;
        }

        @Override
        public boolean stepRetry(Claim claim, int index, String type, String input, String error, Instant retryAt) {
            calls.add(new Call("stepRetry", claim, index, type, input, null, null, error, retryAt, null));
            return true;
        }

        @Override
        public boolean stepFailed(Claim claim, int index, String type, String input, String error) {
            calls.add(new Call("stepFailed", claim, index, type, input, null, null, error, null, null));
            return true;
        }

        @Override
        public boolean succeeded(Claim claim) {
            calls.add(new Call("succeeded", claim, null, null, null, null, null, null, null, null));
            return true;
        }

        @Override
        public boolean waiting(Claim claim, String actionType, Instant recheckAt) {
            calls.add(new Call("waiting", claim, null, actionType, null, null, null, null, recheckAt, null));
            return true;
        }

        @Override
        public void release(Claim claim) {
            calls.add(new Call("release", claim, null, null, null, null, null, null, null, null));
        }

        @Override
        public TriggerSink.Acceptance intake(String orgId, String triggerType, List<String> workflowIds,
                                             String dedupeKey, String dataJson) {
            throw new UnsupportedOperationException("intake");
        }

        @Override
        public List<Claim> claim(String node, int max, Duration lease) {
            throw new UnsupportedOperationException("claim");
        }

        @Override
        public int wakeWaiting(String actionType) {
            throw new UnsupportedOperationException("wakeWaiting");
        }

        @Override
        public Page<ExecutionRow> list(String orgId, ExecutionFilter filter, int limit, String cursor) {
            throw new UnsupportedOperationException("list");
        }

        @Override
        public Optional<ExecutionRow> get(String orgId, String executionId) {
            return Optional.empty();
        }

        @Override
        public Optional<ExecutionRow> get(String executionId) {
            return Optional.empty();
        }

        @Override
        public List<StepRow> steps(String executionId) {
            return List.of();
        }

        @Override
        public boolean retry(String orgId, String executionId) {
            throw new UnsupportedOperationException("retry");
        }

        @Override
        public boolean attemptLost(Claim claim, int index, String type, String error) {
            calls.add(new Call("attemptLost", claim, index, type, null, null, null, error, null, null));
            return true;
        }

        @Override
        public boolean stopIfCancelled(Claim claim) {
            calls.add(new Call("stopIfCancelled", claim, null, null, null, null, null, null, null, null));
            return true;
        }

        @Override
        public Optional<CancelOutcome> cancel(String orgId, String executionId) {
            throw new UnsupportedOperationException("cancel");
        }

        @Override
        public int cancelUnfinished(String orgId, String workflowId) {
            throw new UnsupportedOperationException("cancelUnfinished");
        }
    }

    /** Workflows and their definitions by (id, version); the trigger key is unique per trigger type. */
    static final class FakeWorkflowStore implements WorkflowStore {

        final Map<String, WorkflowRow> rows = new LinkedHashMap<>();
        final Map<String, String> definitions = new LinkedHashMap<>();
        final List<String> writes = new ArrayList<>();
        /** Moved by every write, like the database's change counter; a test may move it as another node would. */
        long changes;
        RuntimeException changesFailure;

        void putDefinition(String workflowId, int version, String json) {
            definitions.put(workflowId + "@" + version, json);
        }

        @Override
        public WorkflowRow insert(WorkflowRow row) {
            checkTriggerKey(row);
            writes.add("insert " + row.id());
            changes++;
            rows.put(row.id(), row);
            putDefinition(row.id(), row.version(), row.definition());
            return row;
        }

        @Override
        public WorkflowRow update(WorkflowRow row, boolean newDefinition) {
            checkTriggerKey(row);
            writes.add("update " + row.id() + " newDefinition=" + newDefinition);
            changes++;
            rows.put(row.id(), row);
            if (newDefinition) {
                putDefinition(row.id(), row.version(), row.definition());
            }
            return row;
        }

        private void checkTriggerKey(WorkflowRow row) {
            if (row.triggerKey() == null) {
                return;
            }
            for (WorkflowRow other : rows.values()) {
                if (!other.id().equals(row.id()) && row.triggerType().equals(other.triggerType())
                        && row.triggerKey().equals(other.triggerKey())) {
                    throw new ConflictException("trigger.params.path", "is used by another workflow");
                }
            }
        }

        @Override
        public long changes() {
            if (changesFailure != null) {
                throw changesFailure;
            }
            return changes;
        }

        @Override
        public Optional<WorkflowRow> get(String orgId, String workflowId) {
            return Optional.ofNullable(rows.get(workflowId)).filter(r -> r.organizationId().equals(orgId));
        }

        @Override
        public Optional<String> definition(String workflowId, int version) {
            return Optional.ofNullable(definitions.get(workflowId + "@" + version));
        }

        @Override
        public Page<WorkflowRow> list(String orgId, int limit, String cursor) {
            return new Page<>(rows.values().stream().filter(r -> r.organizationId().equals(orgId)).limit(limit)
                    .toList(), null);
        }

        @Override
        public boolean delete(String orgId, String workflowId) {
            writes.add("delete " + workflowId);
            changes++;
            return get(orgId, workflowId).map(r -> rows.remove(workflowId) != null).orElse(false);
        }

        @Override
        public List<WorkflowRow> enabledWithTrigger(String triggerType) {
            return rows.values().stream().filter(r -> r.enabled() && r.triggerType().equals(triggerType)).toList();
        }
    }

    /** Plaintext in a map keyed by org / owner / field. */
    static final class FakeSecretVault implements SecretVault {

        final Map<String, String> secrets = new LinkedHashMap<>();

        private static String key(String orgId, String ownerId, String field) {
            return orgId + "/" + ownerId + "/" + field;
        }

        @Override
        public void put(String orgId, String ownerId, String field, String plaintext) {
            if (plaintext == null || plaintext.isEmpty()) {
                secrets.remove(key(orgId, ownerId, field));
            } else {
                secrets.put(key(orgId, ownerId, field), plaintext);
            }
        }

        @Override
        public Optional<String> get(String orgId, String ownerId, String field) {
            return Optional.ofNullable(secrets.get(key(orgId, ownerId, field)));
        }

        @Override
        public boolean isSet(String orgId, String ownerId, String field) {
            return secrets.containsKey(key(orgId, ownerId, field));
        }

        @Override
        public void deleteAll(String orgId, String ownerId) {
            secrets.keySet().removeIf(k -> k.startsWith(orgId + "/" + ownerId + "/"));
        }

        @Override
        public String activeKeyId() {
            return "test-key";
        }
    }

    /** Installed types: action handlers by type (in insertion order) and trigger descriptors. */
    static final class FakeConnectorRegistry implements ConnectorRegistry {

        final Map<String, ActionHandler> handlers = new LinkedHashMap<>();
        final List<TypeDescriptor> triggers = new ArrayList<>();

        FakeConnectorRegistry with(ActionHandler handler) {
            handlers.put(handler.descriptor().type(), handler);
            return this;
        }

        FakeConnectorRegistry withTrigger(TypeDescriptor descriptor) {
            triggers.add(descriptor);
            return this;
        }

        @Override
        public List<TypeDescriptor> triggerTypes() {
            return List.copyOf(triggers);
        }

        /** Action types whose bundle is installed but whose handler does not run. */
        final List<TypeDescriptor> stopped = new ArrayList<>();

        FakeConnectorRegistry withStopped(TypeDescriptor descriptor) {
            stopped.add(descriptor);
            return this;
        }

        @Override
        public List<TypeDescriptor> actionTypes() {
            List<TypeDescriptor> all = new ArrayList<>(handlers.values().stream().map(ActionHandler::descriptor).toList());
            all.addAll(stopped);
            return all;
        }

        @Override
        public Optional<TypeDescriptor> actionType(String type) {
            return actionTypes().stream().filter(t -> t.type().equals(type)).findFirst();
        }

        @Override
        public TypeStatus status(String type) {
            boolean running = handlers.containsKey(type) || sources.containsKey(type);
            return new TypeStatus(type, running, "test", running ? null : "stopped");
        }

        @Override
        public List<TypeStatus> notRunning() {
            return stopped.stream().map(t -> status(t.type())).toList();
        }

        @Override
        public List<SettingsPage> settingsPages() {
            return List.of();
        }

        @Override
        public Optional<ActionHandler> actionHandler(String type) {
            return Optional.ofNullable(handlers.get(type));
        }

        final Map<String, com.dooneflow.api.spi.TriggerSource> sources = new LinkedHashMap<>();

        FakeConnectorRegistry withTriggerSource(com.dooneflow.api.spi.TriggerSource source) {
            sources.put(source.descriptor().type(), source);
            triggers.add(source.descriptor());
            return this;
        }

        @Override
        public Optional<com.dooneflow.api.spi.TriggerSource> triggerSource(String type) {
            return Optional.ofNullable(sources.get(type));
        }

        /** Option sources by id. */
        final Map<String, com.dooneflow.api.spi.OptionSource> optionSources = new LinkedHashMap<>();

        @Override
        public Optional<com.dooneflow.api.spi.OptionSource> optionSource(String id) {
            return Optional.ofNullable(optionSources.get(id));
        }
    }

    /** A handler that records every context it is given and answers with a function of it. */
    static class FakeHandler implements ActionHandler {

        /** What a handler saw, copied at call time (the live maps may change after the call). */
        record Seen(String organizationId, String executionId, int stepIndex, int attempt, String idempotencyKey,
                    Map<String, Object> params, Map<String, Object> variables) {
        }

        interface Behaviour {
            ActionResult apply(ActionContext context) throws Exception;
        }

        private final TypeDescriptor descriptor;
        private final Behaviour behaviour;
        final List<Seen> seen = new ArrayList<>();

        FakeHandler(TypeDescriptor descriptor, Behaviour behaviour) {
            this.descriptor = descriptor;
            this.behaviour = behaviour;
        }

        static FakeHandler ok(TypeDescriptor descriptor, Map<String, Object> outputs) {
            return new FakeHandler(descriptor, c -> ActionResult.ok(outputs));
        }

        static FakeHandler answering(TypeDescriptor descriptor, Function<ActionContext, ActionResult> answer) {
            return new FakeHandler(descriptor, answer::apply);
        }

        Seen last() {
            if (seen.isEmpty()) {
                throw new AssertionError(descriptor.type() + " was never called");
            }
            return seen.get(seen.size() - 1);
        }

        @Override
        public TypeDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ActionResult execute(ActionContext context) throws Exception {
            seen.add(new Seen(context.organizationId(), context.executionId(), context.stepIndex(), context.attempt(),
                    context.idempotencyKey(), new LinkedHashMap<>(context.params()),
                    new LinkedHashMap<>(context.variables())));
            return behaviour.apply(context);
        }
    }

    /** Everyone is the owner of every organization, except the user id "member", who may read but not manage. */
    static final class FakeOrganizationService implements OrganizationService {

        static final Principal OWNER = Principal.user("owner", "owner@example.com", null, null);
        static final Principal MEMBER = Principal.user("member", "member@example.com", null, null);

        final List<String> checks = new ArrayList<>();

        @Override
        public Role requireRole(Principal caller, String orgId, boolean manage) {
            checks.add(caller.userId() + "@" + orgId + (manage ? " manage" : " read"));
            if ("member".equals(caller.userId())) {
                if (manage) {
                    throw new ForbiddenException("owners and admins only");
                }
                return Role.MEMBER;
            }
            return Role.OWNER;
        }

        @Override
        public List<Organization> list(Principal caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization create(Principal caller, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization get(Principal caller, String orgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization rename(Principal caller, String orgId, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Member> members(Principal caller, String orgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Member changeRole(Principal caller, String orgId, String userId, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeMember(Principal caller, String orgId, String userId) {
            throw new UnsupportedOperationException();
        }
    }
}
