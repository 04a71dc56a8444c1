package com.dooneflow.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.Page;
import com.dooneflow.api.StepAttempt;
import com.dooneflow.api.StepRun;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.json.Json;
import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.api.store.AttemptRow;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.StepRow;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.api.store.WorkflowStore;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Stored execution rows as the API shows them. */
final class ExecutionViews {

    /**
     * The step note in which a connector records parameter values it used in place of the rendered ones (an SMS to
     * a team member goes to the member's phone, not to the rendered {@code to}); the step's input shows them.
     */
    static final String AS_SENT_NOTE = "as_sent";

    private static final ObjectMapper PLAIN = Json.mapper();

    private final ExecutionStore store;
    private final StepJournal journal;
    private final WorkflowStore workflows;

    ExecutionViews(ExecutionStore store, StepJournal journal, WorkflowStore workflows) {
        this.store = store;
        this.journal = journal;
        this.workflows = workflows;
    }

    /** A page of executions, each workflow's name looked up once. */
    Page<Execution> summaries(Page<ExecutionRow> page) {
        Map<String, Optional<String>> names = new HashMap<>();
        return new Page<>(page.items().stream().map(r -> view(r, names.computeIfAbsent(r.workflowId(),
                id -> workflows.get(r.organizationId(), id).map(WorkflowRow::name)).orElse(null), null)).toList(),
                page.nextCursor());
    }

    Execution summary(ExecutionRow row) {
        return view(row, workflowName(row), null);
    }

    Execution withSteps(ExecutionRow row) {
        Map<Integer, Map<String, Map<String, Object>>> notes = journal.notes(row.id());
        Map<Integer, StepRow> recorded = new TreeMap<>();
        store.steps(row.id()).forEach(s -> recorded.put(s.index(), s));
        Map<Integer, List<StepAttempt>> attempts = new HashMap<>();
        store.attempts(row.id()).forEach(a -> attempts.computeIfAbsent(a.stepIndex(), k -> new ArrayList<>())
                .add(attempt(a)));
        List<StepSpec> actions = actions(row);
        int count = Math.max(actions.size(), recorded.isEmpty() ? 0 : ((TreeMap<Integer, StepRow>) recorded).lastKey() + 1);
        List<StepRun> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StepRow s = recorded.get(i);
            Map<String, Map<String, Object>> stepNotes = notes.getOrDefault(i, Map.of());
            if (s != null && !"pending".equals(s.status())) {
                steps.add(step(s, stepNotes, attempts.getOrDefault(i, List.of())));
            } else {
                String type = s != null ? s.type() : actions.get(i).type();
                steps.add(new StepRun(i, i + 1, type, StepRun.NOT_RUN, Map.of(), Map.of(), null,
                        notRunBecause(row, recorded, i), 0, null, null, stepNotes, attempts.getOrDefault(i, List.of())));
            }
        }
        return view(row, workflowName(row), steps);
    }

    private String workflowName(ExecutionRow row) {
        return workflows.get(row.organizationId(), row.workflowId()).map(WorkflowRow::name).orElse(null);
    }

    /** The actions of the execution's workflow version; empty when that version is gone. */
    private List<StepSpec> actions(ExecutionRow row) {
        return workflows.definition(row.workflowId(), row.workflowVersion())
                .map(d -> Definitions.read(d).actions()).orElse(List.of());
    }

    /** Why step {@code index} has not run: an earlier step failed, the run was cancelled, or it has not got there. */
    private static String notRunBecause(ExecutionRow row, Map<Integer, StepRow> recorded, int index) {
        ExecutionStatus status = status(row);
        Integer failed = recorded.values().stream().filter(s -> "failed".equals(s.status()) && s.index() < index)
                .map(StepRow::index).findFirst().orElse(null);
        return switch (status) {
            case FAILED -> failed != null ? "Not run: step " + (failed + 1) + " failed."
                    : "Not run: the run failed before this step.";
            case CANCELLED -> "Not run: the run was cancelled.";
            case WAITING -> row.currentStep() == index && row.waitingFor() != null
                    ? "Not run yet: waiting until " + row.waitingFor() + " is installed." : "Not run yet.";
            default -> "Not run yet.";
        };
    }

    private static ExecutionStatus status(ExecutionRow r) {
        return ExecutionStatus.valueOf(r.status().toUpperCase(Locale.ROOT));
    }

    private static Execution view(ExecutionRow r, String workflowName, List<StepRun> steps) {
        ExecutionStatus status = status(r);
        Map<String, Object> triggerData = Definitions.map(r.triggerData());
        return new Execution(r.id(), r.organizationId(), r.workflowId(), workflowName, r.workflowVersion(), status,
                r.triggerType(), triggerData, contact(triggerData), r.currentStep(), r.waitingFor(), r.error(),
                status.finished() ? null : r.nextAttemptAt(), r.createdAt(), r.startedAt(), r.finishedAt(),
                r.cancelRequested(), steps, r.test());
    }

    /** Who the trigger was about, from the same fields the contact variables come from. */
    static Map<String, String> contact(Map<String, Object> triggerData) {
        Map<String, Object> variables = TriggerVariables.from(triggerData);
        Map<String, String> contact = new LinkedHashMap<>();
        putText(contact, "name", variables.get(TriggerVariables.CONTACT_NAME));
        putText(contact, "email", variables.get(TriggerVariables.CONTACT_EMAIL));
        putText(contact, "phone", variables.get(TriggerVariables.CONTACT_PHONE));
        return contact;
    }

    private static void putText(Map<String, String> map, String key, Object value) {
        if (value != null && !(value instanceof Map) && !(value instanceof List) && !value.toString().isBlank()) {
            map.put(key, value.toString());
        }
    }

    private static StepRun step(StepRow s, Map<String, Map<String, Object>> notes, List<StepAttempt> attempts) {
        return new StepRun(s.index(), s.index() + 1, s.type(), s.status(), asSent(Definitions.map(s.input()), notes),
                Definitions.map(s.output()), s.error(), StepErrorExplainer.explain(s.error()), s.attempts(),
                s.startedAt(), s.finishedAt(), notes, attempts);
    }

    /** An attempt as the API shows it, with its duration when both its times are known. */
    static StepAttempt attempt(AttemptRow a) {
        Long millis = a.startedAt() == null || a.finishedAt() == null ? null
                : Math.max(0, java.time.Duration.between(a.startedAt(), a.finishedAt()).toMillis());
        return new StepAttempt(a.number(), a.startedAt(), a.finishedAt(), millis, a.outcome(), a.error());
    }

    /** The rendered input with the values the connector reports it used instead (see {@link #AS_SENT_NOTE}). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asSent(Map<String, Object> input, Map<String, Map<String, Object>> notes) {
        Map<String, Object> used = notes.get(AS_SENT_NOTE);
        if (used == null || used.isEmpty() || input == null || !(input.get("params") instanceof Map<?, ?> params)) {
            return input;
        }
        Map<String, Object> shown = new LinkedHashMap<>(input);
        Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) params);
        merged.putAll(used);
        shown.put("params", merged);
        return shown;
    }

    /** JSON-like form (status lower-case, RFC 3339 times) for trigger sources that answer with a result. */
    Map<String, Object> toMap(Execution execution) {
        Map<String, Object> map = PLAIN.convertValue(execution, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        map.put("status", execution.status().name().toLowerCase(Locale.ROOT));
        return map;
    }
}
