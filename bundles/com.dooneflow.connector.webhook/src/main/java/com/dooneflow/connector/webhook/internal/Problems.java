package com.dooneflow.connector.webhook.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;

/** RFC 9457 problem details in the shape the core's REST API uses, serialised here so no provider can change them. */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://dooneflow.org/problems/";

    private Problems() {
    }

    static Response response(int status, String kind, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + kind);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        try {
            return Response.status(status).type(MEDIA_TYPE).entity(Json.MAPPER.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
