package com.dooneflow.persistence.internal;

import java.util.Locale;
import java.util.regex.Pattern;

import com.dooneflow.api.ValidationException;

/** Email addresses as user ids: trimmed, lower-cased, plausibly shaped. */
final class Emails {

    private static final Pattern SHAPE = Pattern.compile("^[^\\s@]{1,64}@[^\\s@]{1,255}$");

    private Emails() {
    }

    static String normalize(String email, String field) {
        if (email == null || email.isBlank()) {
            throw ValidationException.of(field, "is required");
        }
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (e.length() > 320 || !SHAPE.matcher(e).matches()) {
            throw ValidationException.of(field, "'" + (e.length() > 80 ? e.substring(0, 80) + "..." : e)
                    + "' is not an email address such as ana@example.com");
        }
        return e;
    }
}
