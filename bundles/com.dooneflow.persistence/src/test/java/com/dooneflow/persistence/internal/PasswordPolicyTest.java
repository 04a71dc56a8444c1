package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;

/** The password policy's answers name the field and say what is wrong. */
class PasswordPolicyTest {

    private static final String EMAIL = "pat.longname@example.com";

    @Test
    void twelveCharactersThatAreNotTheEmailPass() {
        assertThatCode(() -> PasswordPolicy.check("twelve chars", EMAIL, "password")).doesNotThrowAnyException();
        assertThatCode(() -> PasswordPolicy.check("🙂".repeat(12), EMAIL, "password"))
                .as("characters, not UTF-16 units").doesNotThrowAnyException();
    }

    @Test
    void tooShortTooLongMissingOrTheEmailIsRefusedOnTheField() {
        refused("eleven char", "must be at least 12 characters");
        refused("🙂".repeat(11), "must be at least 12 characters");
        refused("x".repeat(257), "must be at most 256 characters");
        refused(null, "is required");
        refused("", "is required");
        refused("PAT.LongName@Example.com", "must not be your email address");
        refused("pat.longname", "must not be your email address");
    }

    private static void refused(String password, String message) {
        assertThatThrownBy(() -> PasswordPolicy.check(password, EMAIL, "password"))
                .isInstanceOfSatisfying(ValidationException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.errors()).containsExactly(new FieldError("password", message)));
    }
}
