package com.dooneflow.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.StepRun;
import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.ExecutionStore;
import com.dooneflow.api.store.StepRow;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Stored execution rows as the API shows them. */
final class ExecutionViews {

    private static final ObjectMapper PLAIN = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final ExecutionStore store;
    private final StepJournal journal;

    ExecutionViews(ExecutionStore store, StepJournal journal) {
        this.store = store;
        this.journal = journal;
    }

    Execution summary(ExecutionRow row) {
        return view(row, null);
    }

    Execution withSteps(ExecutionRow row) {
        Map<Integer, Map<String, Map<String, Object>>> notes = journal.notes(row.id());
        return view(row, store.steps(row.id()).stream()
                .map(s -> step(s, notes.getOrDefault(s.index(), Map.of()))).toList());
    }

    private static Execution view(ExecutionRow r, List<StepRun> steps) {
        ExecutionStatus status = ExecutionStatus.valueOf(r.status().toUpperCase(Locale.ROOT));
        return new Execution(r.id(), r.organizationId(), r.workflowId(), r.workflowVersion(), status, r.triggerType(),
                Definitions.map(r.triggerData()), r.currentStep(), r.waitingFor(), r.error(),
                status.finished() ? null : r.nextAttemptAt(), r.createdAt(), r.startedAt(), r.finishedAt(),
                r.cancelRequested(), steps);
    }

    private static StepRun step(StepRow s, Map<String, Map<String, Object>> notes) {
        return new StepRun(s.index(), s.type(), s.status(), Definitions.map(s.input()), Definitions.map(s.output()),
                s.error(), s.attempts(), s.startedAt(), s.finishedAt(), notes);
    }

    /** JSON-like form (status lower-case, RFC 3339 times) for trigger sources that answer with a result. */
    Map<String, Object> toMap(Execution execution) {
        Map<String, Object> map = PLAIN.convertValue(execution, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        map.put("status", execution.status().name().toLowerCase(Locale.ROOT));
        return map;
    }
}
