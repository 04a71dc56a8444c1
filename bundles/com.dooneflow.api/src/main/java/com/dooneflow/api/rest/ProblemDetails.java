package com.dooneflow.api.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.FieldError;

/**
 * An RFC 9457 problem in the one shape every DooneFlow answer has — the core's, the webhook receiver's, a
 * connector's: {@code type} (a URI naming the kind of problem), {@code title}, {@code status}, {@code detail}, and
 * for invalid input {@code errors} naming each field. A connector's resource usually just throws the API's exceptions
 * ({@code ValidationException}, {@code NotFoundException}, ...), which the platform answers this way; this is for a
 * resource that must build the answer itself (a callback answering a browser, a body it serialises as a string).
 *
 * @param kind   the last segment of the type URI ({@code validation}, {@code salesforce-authorization})
 * @param detail what happened, in words; may be null
 * @param errors each field at fault; may be empty
 */
public record ProblemDetails(String kind, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://dooneflow.org/problems/";

    public ProblemDetails {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ProblemDetails(String kind, String title, int status, String detail) {
        this(kind, title, status, detail, List.of());
    }

    /** The JSON body, in the documented order, without absent members. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + kind);
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (!errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        return body;
    }
}
