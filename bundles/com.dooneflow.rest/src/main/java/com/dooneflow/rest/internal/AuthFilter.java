package com.dooneflow.rest.internal;

import java.lang.annotation.Annotation;
import java.util.Optional;

import javax.annotation.Priority;
import javax.annotation.security.PermitAll;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.Principal;

/**
 * Bearer-token authentication for every resource method except those marked {@link PermitAll} (health,
 * OpenAPI, webhook receivers, OAuth and delivery callbacks). No or an unknown token: 401; a method marked
 * {@link BearerOptional} may also be called without a token.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("dooneflow.auth")
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {

    static final String CHALLENGE = "Bearer realm=\"dooneflow\"";

    private final AccessService access;

    @Context
    ResourceInfo resourceInfo;

    @Activate
    public AuthFilter(@Reference AccessService access) {
        this.access = access;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null && isAnnotated(BearerOptional.class)) {
            return;
        }
        Optional<Principal> principal = Optional.empty();
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            principal = access.authenticate(header.substring(7).trim());
        }
        if (principal.isEmpty()) {
            request.abortWith(javax.ws.rs.core.Response.fromResponse(Problem.response(401, "unauthorized",
                    "Unauthorized", header == null ? "Send 'Authorization: Bearer <token>'."
                            : "The token is unknown or revoked.")).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                    .build());
            return;
        }
        request.setSecurityContext(new Caller(principal.get()));
    }

    private boolean isPublic() {
        if (resourceInfo == null || resourceInfo.getResourceMethod() == null) {
            return false;
        }
        return isAnnotated(PermitAll.class) || resourceInfo.getResourceClass().isAnnotationPresent(PermitAll.class);
    }

    private boolean isAnnotated(Class<? extends Annotation> annotation) {
        return resourceInfo != null && resourceInfo.getResourceMethod() != null
                && resourceInfo.getResourceMethod().isAnnotationPresent(annotation);
    }
}
