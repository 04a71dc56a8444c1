package com.dooneflow.connector.twilio.internal;

import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
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
 * {@code /v1/organizations/{orgId}/integrations/twilio}: the organization's Twilio account (a singleton, set with
 * PUT). Members may read it; owners and admins change, delete and test it. The auth token is write-only.
 */
@Component(service = TwilioSettingsResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/integrations/twilio")
@Produces(MediaType.APPLICATION_JSON)
public class TwilioSettingsResource {

    private final OrganizationService organizations;
    private final TwilioSettings settings;
    private final TwilioApi api;

    @Activate
    public TwilioSettingsResource(@Reference OrganizationService organizations, @Reference TwilioSettings settings,
                                  @Reference TwilioApi api) {
        this.organizations = organizations;
        this.settings = settings;
        this.api = api;
    }

    @GET
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        organizations.requireRole(caller(security), orgId, false);
        return settings.entry(orgId).map(TwilioSettings::view).orElseThrow(TwilioSettingsResource::notConfigured);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> put(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                   TwilioSettingsInput input) {
        organizations.requireRole(caller(security), orgId, true);
        return TwilioSettings.view(settings.save(orgId, input));
    }

    @DELETE
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        organizations.requireRole(caller(security), orgId, true);
        if (!settings.delete(orgId)) {
            throw notConfigured();
        }
        return Response.noContent().build();
    }

    @POST
    @Path("test")
    public Map<String, Object> test(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        organizations.requireRole(caller(security), orgId, true);
        TwilioAccount account = settings.account(orgId).orElseThrow(TwilioSettingsResource::notConfigured);
        Map<String, Object> answer = AccountCheck.run(api, account);
        if (!"unreachable".equals(answer.get("result"))) { // unreachable: the credentials were not checked
            settings.recordCheck(orgId, String.valueOf(answer.get("result")), java.time.Instant.now());
        }
        return answer;
    }

    private static Principal caller(SecurityContext security) {
        return AuthenticatedCaller.principal(security.getUserPrincipal());
    }

    private static NotFoundException notConfigured() {
        return new NotFoundException(SendSmsAction.NOT_CONFIGURED + "; set it with PUT.");
    }
}
