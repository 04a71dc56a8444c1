package com.dooneflow.api.oauth;

/**
 * The token endpoint refused a grant, or answered something that is not a token: retrying the same request will not
 * help. {@link #error()} is the endpoint's error code (RFC 6749 section 5.2), {@code http_<status>} when it named
 * none, or {@code invalid_response} for an answer that could not be read.
 */
public class TokenRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String error;

    /** The message is {@code error}, or {@code error: description} when there is a description. */
    public TokenRefusedException(String error, String description) {
        super(description == null || description.isBlank() ? error : error + ": " + description);
        this.error = error;
    }

    public String error() {
        return error;
    }

    /**
     * {@code invalid_grant}: the code or refresh token is no longer good (revoked, expired, the password changed).
     * The user must sign in again: mark the connection as needing a reconnect rather than retrying.
     */
    public boolean needsReconnect() {
        return "invalid_grant".equals(error);
    }
}
