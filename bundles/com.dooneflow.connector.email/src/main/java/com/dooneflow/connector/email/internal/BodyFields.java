package com.dooneflow.connector.email.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;

/** Checks shared by the request bodies of this connector's REST resources (inboxes, OAuth apps). */
final class BodyFields {

    private BodyFields() {
    }

    /**
     * Refuses a missing body; names each read-only field given, and each unknown one with {@code unknown} (which
     * lists the fields there are).
     */
    static void check(Map<String, Object> body, Set<String> readOnly, Set<String> writable, String unknown,
                      List<FieldError> errors) {
        if (body == null) {
            throw ValidationException.of("body", "is required: a JSON object");
        }
        for (String field : body.keySet()) {
            if (readOnly.contains(field)) {
                errors.add(new FieldError(field, "is read-only"));
            } else if (!writable.contains(field)) {
                errors.add(new FieldError(field, unknown));
            }
        }
    }

    /** A trimmed single-line text of at most {@code max} characters; null when absent or refused. */
    static String text(String field, Object value, int max, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            errors.add(new FieldError(field, "must be a non-empty string"));
            return null;
        }
        String t = s.trim();
        if (t.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        if (t.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            errors.add(new FieldError(field, "must not contain control characters"));
            return null;
        }
        return t;
    }
}
