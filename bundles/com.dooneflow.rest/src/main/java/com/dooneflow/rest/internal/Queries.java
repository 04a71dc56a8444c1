package com.dooneflow.rest.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.dooneflow.api.ValidationException;

/** Query parameters with errors that name them. */
final class Queries {

    static final int DEFAULT_LIMIT = 50;

    private Queries() {
    }

    static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ValidationException.of(name, "must be an RFC 3339 UTC time such as 2026-01-31T12:00:00Z");
        }
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > 500) {
            throw ValidationException.of("limit", "must be between 1 and 500");
        }
        return limit;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw ValidationException.of(name, "must be one of " + allowed);
        }
    }
}
