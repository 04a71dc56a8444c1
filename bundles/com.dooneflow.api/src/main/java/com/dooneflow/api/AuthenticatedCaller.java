package com.dooneflow.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What {@code SecurityContext.getUserPrincipal()} returns for a request the platform authenticated, so resources
 * contributed by connector bundles learn who calls them.
 */
@ProviderType
public interface AuthenticatedCaller extends java.security.Principal {

    Principal principal();

    /** The caller behind a request's user principal; fails if the request was not authenticated. */
    static Principal principal(java.security.Principal userPrincipal) {
        if (userPrincipal instanceof AuthenticatedCaller caller) {
            return caller.principal();
        }
        throw new IllegalStateException("request was not authenticated");
    }
}
