package com.dooneflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.User;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code GET /v1/me}: who the token or console session belongs to, the organizations it may act in and whether it
 * may act as an installation administrator, whether they have a console password and, for a session, its CSRF
 * token, and the installation's public URL; their pending invitations; {@code PUT /v1/me/password} sets their
 * password.
 */
@Component(service = MeResource.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DooneFlowResource
@Path("v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final AccessService access;
    private final OrganizationService organizations;
    private final InvitationService invitations;
    /** Where callers reach the installation; null when it is not set (the console then uses its own address). */
    private final String publicUrl;

    @Activate
    public MeResource(@Reference AccessService access, @Reference OrganizationService organizations,
                      @Reference InvitationService invitations, Map<String, Object> config) {
        this(access, organizations, invitations, InstallationSettings.publicUrl(config, System.getenv()));
    }

    MeResource(AccessService access, OrganizationService organizations, InvitationService invitations) {
        this(access, organizations, invitations, (String) null);
    }

    MeResource(AccessService access, OrganizationService organizations, InvitationService invitations,
               String publicUrl) {
        this.access = access;
        this.organizations = organizations;
        this.invitations = invitations;
        this.publicUrl = publicUrl;
    }

    @GET
    public Map<String, Object> me(@Context SecurityContext security) {
        Principal caller = Caller.of(security);
        User user = access.me(caller);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", user.id());
        body.put("email", user.email());
        body.put("createdAt", user.createdAt());
        body.put("tokenId", caller.tokenId());
        body.put("tokenOrganizationId", caller.scopeOrganizationId());
        body.put("organizations", organizations.list(caller));
        body.put("installationAdmin", access.isInstallationAdmin(caller));
        body.put("passwordSet", access.hasPassword(caller));
        body.put("csrfToken", security.getUserPrincipal() instanceof Caller c ? c.csrfToken() : null);
        body.put("publicUrl", publicUrl);
        return body;
    }

    @PUT
    @Path("password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setPassword(@Context SecurityContext security, Dto.PasswordBody body) {
        access.setPassword(Caller.of(security), body.currentPassword(), body.password());
        return Response.noContent().build();
    }

    @GET
    @Path("invitations")
    public Dto.Items<Invitation> invitations(@Context SecurityContext security) {
        return Dto.Items.of(invitations.mine(Caller.of(security)));
    }
}
