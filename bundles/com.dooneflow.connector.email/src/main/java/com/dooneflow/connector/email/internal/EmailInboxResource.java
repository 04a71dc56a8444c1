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
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code /v1/organizations/{orgId}/email-inboxes}: the organization's monitored inboxes. Members read; owners and
 * admins manage. Every change is handed to the pollers at once, so it takes effect without a restart.
 */
@Component(service = EmailInboxResource.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DooneFlowResource
@Path("v1/organizations/{orgId}/email-inboxes")
@Produces(MediaType.APPLICATION_JSON)
public class EmailInboxResource {

    private final OrganizationService organizations;
    private final EmailPollers pollers;
    private final InboxStore inboxes;
    private volatile EmailPollers.Settings settings;

    @Activate
    public EmailInboxResource(@Reference OrganizationService organizations, @Reference EmailPollers pollers,
                              EmailPollers.Config config) {
        this(organizations, pollers, EmailPollers.Settings.of(config));
    }

    EmailInboxResource(OrganizationService organizations, EmailPollers pollers, EmailPollers.Settings settings) {
        this.organizations = organizations;
        this.pollers = pollers;
        this.inboxes = pollers.inboxes();
        this.settings = settings;
    }

    @Modified
    void modified(EmailPollers.Config config) {
        settings = EmailPollers.Settings.of(config);
    }

    @GET
    public Map<String, Object> list(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        organizations.requireRole(caller(security), orgId, false);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", inboxes.list(orgId).stream().map(Inbox::view).toList());
        page.put("nextCursor", null); // a handful per organization: always one page
        return page;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           Map<String, Object> body) {
        organizations.requireRole(caller(security), orgId, true);
        Inbox inbox = inboxes.create(orgId, body);
        pollers.changed();
        return Response.status(201).entity(inbox.view()).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                   @PathParam("id") String id) {
        organizations.requireRole(caller(security), orgId, false);
        return inboxes.require(orgId, id).view();
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                      @PathParam("id") String id, Map<String, Object> body) {
        organizations.requireRole(caller(security), orgId, true);
        Inbox inbox = inboxes.update(orgId, id, body);
        pollers.changed();
        return inboxes.require(orgId, inbox.id()).view();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id) {
        organizations.requireRole(caller(security), orgId, true);
        if (!inboxes.delete(orgId, id)) {
            throw new NotFoundException("no email inbox " + id);
        }
        pollers.changed();
        return Response.noContent().build();
    }

    /** Signs in with the stored settings and answers in words; changes nothing. */
    @POST
    @Path("{id}/test")
    public Map<String, Object> test(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                    @PathParam("id") String id) {
        organizations.requireRole(caller(security), orgId, true);
        Inbox inbox = inboxes.require(orgId, id);
        String password = inboxes.password(inbox).orElse("");
        EmailPollers.Settings s = settings;
        return ConnectionTester.test(inbox, password, s.tls(), s.guard());
    }

    private static Principal caller(SecurityContext security) {
        return AuthenticatedCaller.principal(security.getUserPrincipal());
    }
}
