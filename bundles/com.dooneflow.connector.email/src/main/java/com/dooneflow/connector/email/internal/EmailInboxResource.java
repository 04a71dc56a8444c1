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
import javax.annotation.security.PermitAll;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
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
import com.dooneflow.api.oauth.CallbackAnswer;
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
        EmailPollers.Settings s = settings;
        return ConnectionTester.test(inbox, pollers.credential(inbox).orElse(() -> {
            if (inbox.oauth2()) {
                throw new InboxSignIn.Unavailable(InboxSignIn.notConnected(inbox));
            }
            return "";
        }), s.tls(), s.guard());
    }

    /** Starts (or restarts: "Reconnect") an OAuth 2.0 inbox's sign-in; the UI sends the browser to the URL. */
    @POST
    @Path("{id}/connect")
    public Map<String, Object> connect(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                       @PathParam("id") String id) {
        Principal caller = caller(security);
        organizations.requireRole(caller, orgId, true);
        return Map.of("authorizeUrl", pollers.signIn().start(inboxes.require(orgId, id), caller.userId()));
    }

    /**
     * Where the provider sends the browser back. Public (the browser carries no API token): the single-use state
     * is what authenticates it. Browsers get a small HTML page, API clients JSON.
     */
    @GET
    @PermitAll
    @Path("oauth/callback")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response callback(@PathParam("orgId") String orgId, @QueryParam("state") String state,
                             @QueryParam("code") String code, @QueryParam("error") String error,
                             @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        InboxSignIn.CallbackResult result = pollers.signIn().complete(orgId, state, code, error, errorDescription);
        if (result.status() == 200) {
            pollers.changed();
        }
        boolean html = headers != null && headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        CallbackAnswer answer = html ? htmlPage(orgId, result) : json(result);
        Response.ResponseBuilder response = Response.status(answer.status()).type(answer.mediaType())
                .entity(answer.body());
        answer.headers().forEach(response::header);
        return response.build();
    }

    private static CallbackAnswer json(InboxSignIn.CallbackResult result) {
        return result.status() == 200 ? CallbackAnswer.connected(result.message(), "inbox", result.inbox().view())
                : CallbackAnswer.problem("email-authorization", "Mailbox sign-in failed", result.status(),
                        result.message());
    }

    /** The answer to the browser, with a link back to the web console's Email Inboxes page. */
    private static CallbackAnswer htmlPage(String orgId, InboxSignIn.CallbackResult result) {
        return CallbackAnswer.html(result.status(), result.status() == 200 ? "Inbox connected" : "Inbox sign-in failed",
                result.message(), CallbackAnswer.ConsoleLink.of("back-to-inboxes", "Back to Email Inboxes",
                        "organizations", orgId, "integrations", "email"));
    }

    private static Principal caller(SecurityContext security) {
        return AuthenticatedCaller.principal(security.getUserPrincipal());
    }
}
