package com.dooneflow.connector.webhook.internal;

import java.util.Map;

import javax.ws.rs.core.Response;

import com.dooneflow.api.rest.ProblemDetails;
import com.fasterxml.jackson.core.JsonProcessingException;

/** {@link ProblemDetails} as a JAX-RS answer, serialised here so no provider can change them. */
final class Problems {

    static final String MEDIA_TYPE = ProblemDetails.MEDIA_TYPE;

    private Problems() {
    }

    static Response response(int status, String kind, String title, String detail) {
        Map<String, Object> body = new ProblemDetails(kind, title, status, detail).body();
        try {
            return Response.status(status).type(MEDIA_TYPE).entity(Json.MAPPER.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
