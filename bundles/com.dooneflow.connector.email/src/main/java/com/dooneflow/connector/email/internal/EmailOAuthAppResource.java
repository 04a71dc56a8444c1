package com.dooneflow.connector.email.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code /v1/organizations/{orgId}/email-oauth-apps}: the OAuth 2.0 apps the organization registered with
 * Microsoft, Google or another provider, one per provider, named by it. Members read; owners and admins manage.
 * Each shows the {@code redirectUri} to paste into the provider's app registration.
 */
@Component(service = EmailOAuthAppResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/email-oauth-apps")
@Produces(MediaType.APPLICATION_JSON)
public class EmailOAuthAppResource {

    private final OrganizationService organizations;
    private final EmailPollers pollers;

    @Activate
    public EmailOAuthAppResource(@Reference OrganizationService organizations, @Reference EmailPollers pollers) {
        this.organizations = organizations;
        this.pollers = pollers;
    }

    @GET
    public Map<String, Object> list(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        organizations.requireRole(caller(security), orgId, false);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", pollers.apps().list(orgId).stream().map(a -> view(orgId, a)).toList());
        page.put("nextCursor", null); // at most one per provider
        return page;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           Map<String, Object> body) {
        organizations.requireRole(caller(security), orgId, true);
        return Response.status(201).entity(view(orgId, pollers.apps().create(orgId, body))).build();
    }

    @GET
    @Path("{provider}")
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                   @PathParam("provider") String provider) {
        organizations.requireRole(caller(security), orgId, false);
        return view(orgId, pollers.apps().require(orgId, provider));
    }

    @PATCH
    @Path("{provider}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                      @PathParam("provider") String provider, Map<String, Object> body) {
        organizations.requireRole(caller(security), orgId, true);
        return view(orgId, pollers.apps().update(orgId, provider, body));
    }

    @DELETE
    @Path("{provider}")
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("provider") String provider) {
        organizations.requireRole(caller(security), orgId, true);
        pollers.apps().require(orgId, provider);
        if (!pollers.apps().delete(orgId, provider, pollers.inboxes().list(orgId))) {
            throw new NotFoundException("no OAuth app for provider " + provider);
        }
        return Response.noContent().build();
    }

    private Map<String, Object> view(String orgId, OAuthApp app) {
        return app.view(pollers.signIn().redirectUri(orgId));
    }

    private static Principal caller(SecurityContext security) {
        return AuthenticatedCaller.principal(security.getUserPrincipal());
    }
}
