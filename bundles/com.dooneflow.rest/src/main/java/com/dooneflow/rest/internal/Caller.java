package com.dooneflow.rest.internal;

import java.util.Optional;

import javax.ws.rs.core.SecurityContext;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.Principal;

/**
 * Carries the authenticated {@link Principal} in the request's SecurityContext; {@code csrfToken} is the console
 * session's when the request was authenticated by the session cookie, null for a bearer token.
 */
public record Caller(Principal principal, String csrfToken) implements AuthenticatedCaller, SecurityContext {

    public Caller(Principal principal) {
        this(principal, null);
    }

    @Override
    public String getName() {
        return principal.email();
    }

    @Override
    public java.security.Principal getUserPrincipal() {
        return this;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public String getAuthenticationScheme() {
        return csrfToken == null ? "Bearer" : "Session";
    }

    /** The caller of a {@link BearerOptional} request: empty when it came without a bearer token. */
    public static Optional<Principal> optional(SecurityContext context) {
        return context != null && context.getUserPrincipal() instanceof Caller c ? Optional.of(c.principal())
                : Optional.empty();
    }

    /** The caller of a request that passed {@link AuthFilter}. */
    public static Principal of(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof Caller c) {
            return c.principal();
        }
        throw new IllegalStateException("request was not authenticated");
    }
}
