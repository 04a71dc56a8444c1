package com.dooneflow.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.dooneflow.api.json.Json;

/** Copies maps through JSON text, as the real stores keep them: callers get back what a database would give. */
final class JsonValues {

    // The stores' own configuration, so the in-memory services accept and refuse the same values.
    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private JsonValues() {
    }

    /** A deep copy of plain JSON values (numbers come back as the smallest fitting type); null gives an empty map. */
    static Map<String, Object> copy(Map<String, Object> value) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(JSON.writeValueAsString(value), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not plain JSON values: " + e.getOriginalMessage(), e);
        }
    }
}
