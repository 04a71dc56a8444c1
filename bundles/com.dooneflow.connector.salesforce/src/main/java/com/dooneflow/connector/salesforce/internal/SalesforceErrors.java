package com.dooneflow.connector.salesforce.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Salesforce REST errors ({@code [{"message", "errorCode", "fields"}]}) and what they mean for a step, in one
 * table: busy or overloaded is worth another try, everything about the data itself is not.
 */
final class SalesforceErrors {

    /** Try again later (with the engine's backoff). 5xx answers count as these too. */
    static final Set<String> TRANSIENT = Set.of("REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE",
            "CONCURRENT_REQUEST_LIMIT_EXCEEDED", "QUERY_TIMEOUT");

    /** The data or the target is wrong: retrying cannot help. Any other 4xx is treated the same way. */
    static final Set<String> PERMANENT = Set.of("FIELD_CUSTOM_VALIDATION_EXCEPTION", "REQUIRED_FIELD_MISSING",
            "INVALID_FIELD", "ENTITY_IS_DELETED", "NOT_FOUND", "MALFORMED_ID", "INVALID_TYPE", "JSON_PARSER_ERROR",
            "DUPLICATE_VALUE", "STRING_TOO_LONG", "INVALID_FIELD_FOR_INSERT_UPDATE", "INSUFFICIENT_ACCESS",
            "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "DUPLICATES_DETECTED");

    /** The code Salesforce sends when the access token expired or was revoked: refresh and retry once. */
    static final String INVALID_SESSION_ID = "INVALID_SESSION_ID";

    private SalesforceErrors() {
    }

    /** One error of a Salesforce answer. */
    record SfError(String errorCode, String message, List<String> fields) {
        Map<String, Object> asMap() {
            return Map.of("errorCode", errorCode, "message", message, "fields", fields);
        }

        String describe() {
            return errorCode + ": " + message + (fields.isEmpty() ? "" : " (fields: " + String.join(", ", fields) + ")");
        }
    }

    static boolean transientFailure(int status, List<SfError> errors) {
        if (status >= 500 || status == 408 || status == 429) {
            return true;
        }
        return errors.stream().anyMatch(e -> TRANSIENT.contains(e.errorCode()));
    }

    static boolean sessionExpired(int status, List<SfError> errors) {
        return status == 401 && (errors.isEmpty() || errors.stream().anyMatch(e -> INVALID_SESSION_ID.equals(e.errorCode())));
    }

    /** The errors in a body: Salesforce's array, a single error object, or none when it is something else. */
    static List<SfError> parse(String body) {
        List<SfError> errors = new ArrayList<>();
        Object parsed;
        try {
            parsed = body == null || body.isBlank() ? null : Json.MAPPER.readValue(body, Object.class);
        } catch (java.io.IOException e) {
            return errors;
        }
        List<?> items = parsed instanceof List<?> l ? l : parsed instanceof Map<?, ?> m ? List.of(m) : List.of();
        for (Object item : items) {
            if (item instanceof Map<?, ?> m && m.get("errorCode") != null) {
                List<String> fields = new ArrayList<>();
                if (m.get("fields") instanceof List<?> f) {
                    f.forEach(x -> fields.add(String.valueOf(x)));
                }
                errors.add(new SfError(m.get("errorCode").toString(),
                        m.get("message") == null ? "" : m.get("message").toString(), List.copyOf(fields)));
            }
        }
        return errors;
    }
}
