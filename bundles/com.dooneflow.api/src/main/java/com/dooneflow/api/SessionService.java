package com.dooneflow.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Console sessions: a person signs in with email and password and gets a session secret for a cookie. Sessions are
 * kept in the database (only a hash of the secret), so every node of a cluster accepts them; a session ends when
 * unused for the idle timeout, at the absolute timeout after sign-in, or at sign-out.
 */
@ProviderType
public interface SessionService {

    /**
     * Signs in: a new session for the user with this email and password, or empty for an unknown email or a wrong
     * password alike (the caller cannot tell which, not even by timing).
     */
    Optional<NewSession> signIn(String email, String password);

    /**
     * Signs in the user with this email without a password: for an identity provider (OpenID Connect) that has
     * vouched for the email. Empty when no user has it: single sign-on admits people who already have an account
     * (an invitation creates one).
     */
    Optional<NewSession> signInVerified(String email);

    /** The session this secret opens, if it exists and has not expired; using it counts as activity. */
    Optional<ActiveSession> authenticate(String sessionSecret);

    /** Ends the session this secret opens; an unknown or expired one is nothing to do. */
    void signOut(String sessionSecret);

    /** A session just opened: its secret (for the cookie, never shown again) and its CSRF token. */
    record NewSession(String secret, ActiveSession session) {
        @Override
        public String toString() {
            return "NewSession[" + session + "]";
        }
    }

    /**
     * An open session: who it signs in ({@link Principal#tokenId()} is null: a session is no token), the token a
     * request sent with the session cookie must repeat in {@code X-CSRF-Token} when it changes anything, and when
     * the session ends at the latest.
     */
    record ActiveSession(Principal principal, String csrfToken, java.time.Instant expiresAt) {
    }
}
