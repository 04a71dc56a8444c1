package com.dooneflow.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.json.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON of what the engine stores: workflow definitions ({trigger, actions}), trigger data, variables, step I/O. */
final class Definitions {

    /** Stored definitions leave absent optional fields out rather than writing nulls. */
    static final ObjectMapper JSON = Json.mapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    /** The stored shape of a definition. */
    record Stored(StepSpec trigger, List<StepSpec> actions) {
    }

    private Definitions() {
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Stored read(String json) {
        try {
            return JSON.readValue(json, Stored.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored workflow definition is not valid JSON", e);
        }
    }

    static Map<String, Object> map(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not an object", e);
        }
    }

    static StepSpec copy(StepSpec spec, Map<String, Object> params) {
        return new StepSpec(spec.type(), params, spec.retry());
    }

    static RetryPolicy retryOf(StepSpec spec) {
        return spec.retry() == null ? RetryPolicy.DEFAULT : spec.retry();
    }
}
