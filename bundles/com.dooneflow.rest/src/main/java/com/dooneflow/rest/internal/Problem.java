package com.dooneflow.rest.internal;

import java.util.List;

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
        return Response.status(status).type(MEDIA_TYPE).entity(json(new ProblemDetails(kind, title, status, detail,
                errors))).build();
    }

    /** The problem's JSON text; also for servlet filters, which answer before JAX-RS (and may run before it starts). */
    static String json(ProblemDetails problem) {
        try {
            return Json.MAPPER.writeValueAsString(problem.body());
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
