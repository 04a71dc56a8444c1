package com.dooneflow.persistence.internal;

import java.util.Locale;

import com.dooneflow.api.ValidationException;

/**
 * What a console password must be: at least 12 characters (NIST SP 800-63B's advice is length over composition
 * rules), at most 256 (hashing has a cost), and not the user's own email or its name part.
 */
final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 256;

    private PasswordPolicy() {
    }

    /** Refuses a password that breaks the policy with a 422 on {@code field}. */
    static void check(String password, String email, String field) {
        if (password == null || password.isEmpty()) {
            throw ValidationException.of(field, "is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw ValidationException.of(field, "must be at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            throw ValidationException.of(field, "must be at most " + MAX_LENGTH + " characters");
        }
        String lower = password.trim().toLowerCase(Locale.ROOT);
        String mail = email == null ? "" : email.toLowerCase(Locale.ROOT);
        int at = mail.indexOf('@');
        if (lower.equals(mail) || (at > 0 && lower.equals(mail.substring(0, at)))) {
            throw ValidationException.of(field, "must not be your email address");
        }
    }
}
