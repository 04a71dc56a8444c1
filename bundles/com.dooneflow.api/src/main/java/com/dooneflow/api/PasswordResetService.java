package com.dooneflow.api;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One-time password reset links. A reset's secret ({@code dfr_…}) is shown once, stored only as a hash, ends after
 * an hour and works once; using it sets the person's password and ends all their console sessions. A new reset for
 * the same person replaces the one not yet used.
 */
@ProviderType
public interface PasswordResetService {

    /** How long a reset secret works. */
    java.time.Duration VALIDITY = java.time.Duration.ofHours(1);

    /**
     * A reset for a member of the organization, made by one of its owners or admins (only owners reset an owner's
     * password). {@link NotFoundException} when the user is not a member.
     */
    IssuedReset create(Principal caller, String orgId, String userId);

    /**
     * A reset for whoever has this email ("Forgot password?"); empty when no one has it. The caller must answer the
     * same either way, so nobody learns which addresses have accounts.
     */
    Optional<IssuedReset> createForEmail(String email);

    /**
     * Sets the password of the reset's user: {@link ValidationException} on {@code token} when it is unknown, used
     * or expired, on {@code password} when the password policy refuses it (the reset then stays usable).
     */
    void reset(String token, String newPassword);

    /** A new reset: the secret is in this answer only. */
    record IssuedReset(String userId, String email, String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedReset[" + userId + ", " + email + ", secret hidden, " + expiresAt + "]";
        }
    }
}
