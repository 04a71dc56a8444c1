package com.dooneflow.rest.internal;

import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.rest.ProblemDetails;
import com.fasterxml.jackson.core.JsonProcessingException;

/** {@link ProblemDetails} as a JAX-RS answer, serialised here so no provider choice can change them. */
public final class Problem {

    public static final String MEDIA_TYPE = ProblemDetails.MEDIA_TYPE;

    private Problem() {
    }

    public static Response response(int status, String kind, String title, String detail, List<FieldError> errors) {
        Map<String, Object> body = new ProblemDetails(kind, title, status, detail, errors).body();
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
