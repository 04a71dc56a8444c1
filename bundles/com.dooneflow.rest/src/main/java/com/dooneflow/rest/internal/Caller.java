package com.dooneflow.rest.internal;

import java.util.Optional;

import javax.ws.rs.core.SecurityContext;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.Principal;

/** Carries the authenticated {@link Principal} in the request's SecurityContext. */
public record Caller(Principal principal) implements AuthenticatedCaller, SecurityContext {

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
        return "Bearer";
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
