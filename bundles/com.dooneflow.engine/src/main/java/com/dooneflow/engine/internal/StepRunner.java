package com.dooneflow.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.SecretUnavailableException;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.api.store.WorkflowStore;

/**
 * Runs a claimed execution from its current step: renders each action's parameters, calls its handler and
 * records the outcome before moving on. Stops at the first retry, failure, missing handler, lost lease or
 * cancellation. Every attempt is bounded: {@link ClaimKeeper} keeps the claim alive while it runs and settles it
 * as timed out when it outlives its handler's {@link ActionHandler#timeout}, capped by {@code maxStep}.
 */
final class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    /** Time an action gets past its own limit to give up by itself before the engine steps in. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final ExecutionStore store;
    private final WorkflowStore workflows;
    private final ConnectorRegistry registry;
    private final SecretVault vault;
    private final Duration waitingRecheck;
    private final EventLog events;
    private final Duration maxStep;
    private final LongSupplier nanoTime;
    private final ClaimKeeper keeper;
    private final EngineMetrics metrics = new EngineMetrics();
    private final SecretCache secrets;
    private final Map<String, List<StepSpec>> versions = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<StepSpec>> eldest) {
            return size() > 1000;
        }
    };

    StepRunner(ExecutionStore store, WorkflowStore workflows, ConnectorRegistry registry, SecretVault vault,
               Duration lease, Duration waitingRecheck) {
        this(store, workflows, registry, vault, lease, waitingRecheck, null);
    }

    /** With {@code events}, a permanently failed step is also recorded on the organization's event log. */
    StepRunner(ExecutionStore store, WorkflowStore workflows, ConnectorRegistry registry, SecretVault vault,
               Duration lease, Duration waitingRecheck, EventLog events) {
        this(store, workflows, registry, vault, lease, waitingRecheck, events, Duration.ofMinutes(5), System::nanoTime);
    }

    /** With {@code maxStep}, the longest any attempt may take, and the clock the time limits are kept on. */
    StepRunner(ExecutionStore store, WorkflowStore workflows, ConnectorRegistry registry, SecretVault vault,
               Duration lease, Duration waitingRecheck, EventLog events, Duration maxStep, LongSupplier nanoTime) {
        this.maxStep = maxStep;
        this.nanoTime = nanoTime;
        this.keeper = new ClaimKeeper(store, lease, nanoTime, this::timedOut);
        this.events = events;
        this.store = store;
        this.workflows = workflows;
        this.registry = registry;
        this.vault = vault;
        this.waitingRecheck = waitingRecheck;
        this.secrets = new SecretCache(nanoTime);
    }

    /** Forgets the secrets read so far: a workflow changed. */
    void workflowsChanged() {
        secrets.clear();
    }

    /** The claims this runner holds, for the heartbeat and for cancelling. */
    ClaimKeeper keeper() {
        return keeper;
    }

    void run(Claim claim) {
        ClaimKeeper.Held held = keeper.hold(claim);
        ExecutionRow e = claim.execution();
        metrics.executionStarted(e.organizationId());
        // Every log line of this run names the execution, its organization and workflow (JSON logs show them).
        MDC.put(LogContext.EXECUTION, e.id());
        MDC.put(LogContext.ORGANIZATION, e.organizationId());
        MDC.put(LogContext.WORKFLOW, e.workflowId());
        try {
            run(held);
        } finally {
            keeper.release(held);
            LogContext.clear();
        }
    }

    private void run(ClaimKeeper.Held held) {
        Claim claim = held.claim;
        ExecutionRow e = claim.execution();
        List<StepSpec> actions = actions(e.workflowId(), e.workflowVersion());
        if (actions == null) {
            store.stepFailed(claim, e.currentStep(), "unknown", null, "workflow version " + e.workflowVersion() + " is gone");
            return;
        }
        Map<String, Object> variables = e.variables() != null ? Definitions.map(e.variables())
                : TriggerVariables.from(Definitions.map(e.triggerData()));
        int attemptsSoFar = claim.stepAttempts();
        if (e.currentStep() >= actions.size()) {
            store.succeeded(claim);
            metrics.execution("succeeded", e.organizationId());
            return;
        }
        if (claim.interrupted()) {
            attemptsSoFar++;
            if (!attemptLost(claim, e.currentStep(), actions.get(e.currentStep()), attemptsSoFar)) {
                return;
            }
        }
        for (int i = e.currentStep(); i < actions.size(); i++) {
            if (i > e.currentStep()) {
                attemptsSoFar = 0;
                if (!keeper.renew(held)) {
                    store.stopIfCancelled(claim);
                    return;
                }
            }
            if (!runStep(held, i, actions.get(i), variables, attemptsSoFar + 1, i == actions.size() - 1)) {
                return;
            }
        }
    }

    /**
     * The claim was taken over from a holder whose lease ran out while it may have been running this step: that
     * attempt counts, with its outcome unknown, so a step that keeps killing its node cannot repeat forever.
     * True when the step may be tried again.
     */
    private boolean attemptLost(Claim claim, int index, StepSpec step, int attempts) {
        String reason = "an earlier attempt never reported back: the node running it stopped or lost its claim, "
                + "so its outcome is unknown";
        if (attempts >= Definitions.retryOf(step).attempts()) {
            failed(claim, index, step.type(), null, reason + " (gave up after " + attempts + " attempts)");
            return false;
        }
        return store.attemptLost(claim, index, step.type(), reason);
    }

    /** The heartbeat settled an attempt that outlived its limit: record it and follow the retry policy. */
    private void timedOut(ClaimKeeper.Held held, ClaimKeeper.Attempt a) {
        LOG.warn("Step {} ({}) of execution {} did not finish within {} s; recorded as timed out", a.index(), a.type(),
                held.claim.execution().id(), a.limit().toSeconds());
        String reason = a.type() + " did not finish within " + a.limit().toSeconds() + " s and was stopped; "
                + "its outcome is unknown (it may have taken effect)";
        settleFailedAttempt(held.claim, a.index(), a.type(), a.input(), a.number(), a.policy(), reason, null);
    }

    /** A version's actions; versions never change, so they are cached (bounded, least recently used out). */
    private List<StepSpec> actions(String workflowId, int version) {
        String key = workflowId + ":" + version;
        synchronized (versions) {
            List<StepSpec> cached = versions.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Optional<String> definition = workflows.definition(workflowId, version);
        if (definition.isEmpty()) {
            return null;
        }
        List<StepSpec> actions = List.copyOf(Definitions.read(definition.get()).actions());
        synchronized (versions) {
            versions.put(key, actions);
        }
        return actions;
    }

    /** True when the step succeeded and the execution may go on. */
    private boolean runStep(ClaimKeeper.Held held, int index, StepSpec step, Map<String, Object> variables, int attempt,
                            boolean last) {
        Claim claim = held.claim;
        ExecutionRow e = claim.execution();
        Optional<ActionHandler> handler = registry.actionHandler(step.type());
        Optional<TypeDescriptor> descriptor = registry.actionType(step.type());
        if (handler.isEmpty() || descriptor.isEmpty()) {
            store.waiting(claim, step.type(), Instant.now().plus(waitingRecheck));
            metrics.execution("waiting", e.organizationId());
            return false;
        }
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> shown = new LinkedHashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        try {
            for (ParameterDescriptor p : descriptor.get().parameters()) {
                String field = "actions[" + index + "].params." + p.name();
                Object value = p.secret()
                        ? secrets.get(e.organizationId(), e.workflowId(), field,
                                () -> vault.get(e.organizationId(), e.workflowId(), field)).orElse(null)
                        : step.params().get(p.name());
                if (value == null) {
                    value = p.defaultValue();
                }
                if (value != null && p.templatable()) {
                    Templates.Rendered rendered = Templates.render(p.name(), value, p.type(), variables);
                    value = rendered.value();
                    unknown.addAll(rendered.unknownVariables());
                }
                if (value != null) {
                    params.put(p.name(), value);
                    shown.put(p.name(), p.secret() ? "***" : value);
                }
            }
        } catch (Templates.TemplateException ex) {
            failed(claim, index, step.type(), input(shown, unknown), ex.getMessage());
            return false;
        } catch (SecretUnavailableException ex) {
            // This node cannot read the secret now (the vault logged why, once); another node or a later attempt may.
            settleFailedAttempt(claim, index, step.type(), input(shown, unknown), attempt, Definitions.retryOf(step),
                    ex.getMessage(), null);
            return false;
        }
        String input = input(shown, unknown);
        RetryPolicy policy = Definitions.retryOf(step);
        Duration limit = limit(handler.get(), params);
        held.begin(new ClaimKeeper.Attempt(index, step.type(), input, attempt, policy,
                nanoTime.getAsLong() + limit.plus(GRACE).toNanos(), limit));
        ActionResult result;
        boolean stillOurs;
        long started = nanoTime.getAsLong();
        try {
            result = handler.get().execute(new Context(e, index, attempt, Collections.unmodifiableMap(params),
                    Collections.unmodifiableMap(variables), held, descriptor.get()));
        } catch (SecretUnavailableException ex) {
            result = ActionResult.retry(ex.getMessage(), null);
        } catch (Exception ex) {
            LOG.warn("Action {} of execution {} threw", step.type(), e.id(), ex);
            result = ActionResult.retry("unexpected error in " + step.type() + ": " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()), null);
        } finally {
            stillOurs = held.end();
        }
        if (!stillOurs) {
            LOG.info("Step {} of execution {} returned after it had been recorded as timed out; its result is dropped",
                    index, e.id());
            return false;
        }
        if (result == null) {
            result = ActionResult.retry(step.type() + " returned no result", null);
        }
        metrics.stepAttempt(step.type(), result, nanoTime.getAsLong() - started);
        if (result instanceof ActionResult.Ok ok) {
            Map<String, Object> outputs = ok.outputs() == null ? Map.of() : ok.outputs();
            variables.putAll(outputs);
            if (!last) {
                return store.stepSucceeded(claim, index, step.type(), input, Definitions.write(outputs),
                        Definitions.write(variables));
            }
            boolean done = store.lastStepSucceeded(claim, index, step.type(), input, Definitions.write(outputs),
                    Definitions.write(variables));
            if (done) {
                metrics.execution("succeeded", e.organizationId());
            }
            return done;
        }
        if (result instanceof ActionResult.Retry retry) {
            settleFailedAttempt(claim, index, step.type(), input, attempt, policy, retry.reason(), retry.after());
            return false;
        }
        ActionResult.Fail fail = (ActionResult.Fail) result;
        failed(claim, index, step.type(), input, fail.reason());
        return false;
    }

    /** A transient failure: tried again after a backoff, or the step fails once its attempts are used up. */
    private void settleFailedAttempt(Claim claim, int index, String type, String input, int attempt, RetryPolicy policy,
                                     String reason, Duration after) {
        if (attempt >= policy.attempts()) {
            failed(claim, index, type, input, reason + " (gave up after " + attempt + " attempts)");
        } else {
            Duration delay = Backoff.delay(policy, attempt, after);
            store.stepRetry(claim, index, type, input, reason, Instant.now().plus(delay));
            metrics.retryScheduled(type, delay, after != null);
        }
    }

    /** The handler's limit for this attempt, never more than {@code maxStep}. */
    private Duration limit(ActionHandler handler, Map<String, Object> params) {
        Duration wanted;
        try {
            wanted = handler.timeout(params);
        } catch (RuntimeException ex) {
            wanted = null;
        }
        if (wanted == null || wanted.isNegative() || wanted.isZero()) {
            wanted = ActionHandler.DEFAULT_TIMEOUT;
        }
        return wanted.compareTo(maxStep) > 0 ? maxStep : wanted;
    }

    private void failed(Claim claim, int index, String type, String input, String reason) {
        boolean recorded = store.stepFailed(claim, index, type, input, reason);
        if (recorded) {
            metrics.execution("failed", claim.execution().organizationId());
            LOG.info("Execution {} failed at step {} ({}): {}", claim.execution().id(), index, type, reason);
        }
        if (recorded && events != null) {
            ExecutionRow e = claim.execution();
            try {
                events.record(e.organizationId(), Event.Level.ERROR, type, "Step " + index + " (" + type
                        + ") of a workflow run failed: " + reason, Map.of("executionId", e.id(), "workflowId", e.workflowId()));
            } catch (RuntimeException ex) {
                LOG.warn("Could not record the failure of execution {} as an event", e.id(), ex);
            }
        }
    }

    private static String input(Map<String, Object> params, Set<String> unknown) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("params", params);
        if (!unknown.isEmpty()) {
            input.put("unknownVariables", new ArrayList<>(unknown));
        }
        return Definitions.write(input);
    }

    /** Parameter records already checked against the descriptor they were last bound for (one check per class). */
    private static final Map<Class<?>, TypeDescriptor> CHECKED_BINDINGS = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a handler sees of one try of one step. */
    private record Context(ExecutionRow execution, int stepIndex, int attempt, Map<String, Object> params,
                           Map<String, Object> variables, ClaimKeeper.Held held, TypeDescriptor type)
            implements ActionContext {
        @Override
        public void onStop(Runnable stop) {
            held.onStop(stop);
        }

        /** Binds as the SPI does, after checking a record against the type's descriptor (IllegalArgumentException). */
        @Override
        @SuppressWarnings("unchecked")
        public <T> T params(Class<T> record) {
            if (record.isRecord() && CHECKED_BINDINGS.get(record) != type) {
                TypeFiles.checkBinding(type, (Class<? extends Record>) record);
                CHECKED_BINDINGS.put(record, type);
            }
            return ActionContext.super.params(record);
        }

        @Override
        public String organizationId() {
            return execution.organizationId();
        }

        @Override
        public String executionId() {
            return execution.id();
        }

        @Override
        public String idempotencyKey() {
            return execution.id() + ":" + stepIndex;
        }
    }
}
