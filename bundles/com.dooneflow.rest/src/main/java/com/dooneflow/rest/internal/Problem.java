package com.dooneflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import com.dooneflow.api.FieldError;
import com.fasterxml.jackson.core.JsonProcessingException;

/** RFC 9457 problem details, serialised here so no provider choice can change them. */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://dooneflow.org/problems/";

    private Problem() {
    }

    public static Response response(int status, String kind, String title, String detail, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + kind);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        try {
            return Response.status(status).type(MEDIA_TYPE).entity(Json.MAPPER.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Response response(int status, String kind, String title, String detail) {
        return response(status, kind, title, detail, List.of());
    }

    public static Response invalid(int status, String detail, String field, String message) {
        return response(status, "invalid-request", "Invalid request", detail, List.of(new FieldError(field, message)));
    }
}
