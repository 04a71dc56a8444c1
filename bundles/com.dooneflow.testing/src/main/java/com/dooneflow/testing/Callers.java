package com.dooneflow.testing;

import java.lang.reflect.Proxy;

import javax.ws.rs.core.SecurityContext;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.Principal;

/** Callers as the core's AuthFilter presents them to JAX-RS resources of connector bundles. */
public final class Callers {

    private Callers() {
    }

    /** A user with a personal token: id {@code userId}, email {@code userId@example.com}. */
    public static Principal user(String userId) {
        return Principal.user(userId, userId + "@example.com", "token-" + userId, null);
    }

    /** The request's SecurityContext for a user with a personal token ({@link #user}). */
    public static SecurityContext as(String userId) {
        return as(user(userId));
    }

    /**
     * The request's SecurityContext after the platform authenticated {@code caller}. Resources should need only
     * its user principal; anything else they ask fails the test.
     */
    public static SecurityContext as(Principal caller) {
        AuthenticatedCaller user = new Authenticated(caller);
        return (SecurityContext) Proxy.newProxyInstance(Callers.class.getClassLoader(),
                new Class<?>[] {SecurityContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getUserPrincipal" -> user;
                    case "toString" -> "SecurityContext of " + caller.email();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("SecurityContext." + method.getName());
                });
    }

    private record Authenticated(Principal principal) implements AuthenticatedCaller {
        @Override
        public String getName() {
            return principal.email();
        }
    }
}
