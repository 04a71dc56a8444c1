package com.dooneflow.rest.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

import com.dooneflow.api.ValidationException;

/** Query parameters with errors that name them. */
final class Queries {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

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

    /**
     * The page size; taken as text because JAX-RS answers 404 to a number parameter that does not convert.
     * Anything but a whole number from 1 to 500 is a 422 naming {@code limit}.
     */
    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ValidationException.of("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** An id (a UUID), or null when absent; anything else is a 422 naming the parameter. */
    static String id(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(name, "must be an id (a UUID)");
        }
    }

    /** Search text, trimmed; null when absent or blank; longer than {@code max} characters is a 422 naming it. */
    static String text(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.length() > max) {
            throw ValidationException.of(name, "must be at most " + max + " characters");
        }
        return text;
    }

    /** A time range whose end, when both are given, comes after its start; otherwise a 422 naming {@code to}. */
    static void range(Instant from, Instant to) {
        if (from != null && to != null && !to.isAfter(from)) {
            throw ValidationException.of("to", "must be after from");
        }
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
