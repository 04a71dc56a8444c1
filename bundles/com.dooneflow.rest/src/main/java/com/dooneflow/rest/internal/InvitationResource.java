package com.dooneflow.rest.internal;

import javax.ws.rs.Consumes;
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

import com.dooneflow.api.InvitationService;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code /v1/invitations}: the invited person's side. {@code accept} takes the accept token, with or without a
 * bearer token; the others are for the signed-in user's own invitations ({@code GET /v1/me/invitations}).
 */
@Component(service = InvitationResource.class)
@DooneFlowResource
@Path("v1/invitations")
@Produces(MediaType.APPLICATION_JSON)
public class InvitationResource {

    private final InvitationService invitations;

    @Activate
    public InvitationResource(@Reference InvitationService invitations) {
        this.invitations = invitations;
    }

    @POST
    @Path("accept")
    @BearerOptional
    @Consumes(MediaType.APPLICATION_JSON)
    public Dto.AcceptedInvitationBody acceptWithToken(@Context SecurityContext security, Dto.AcceptInvitationBody body) {
        return Dto.AcceptedInvitationBody.of(invitations.acceptWithToken(Caller.optional(security), body.token(),
                body.password()));
    }

    @POST
    @Path("{id}/accept")
    public Dto.AcceptedInvitationBody accept(@Context SecurityContext security, @PathParam("id") String id) {
        return Dto.AcceptedInvitationBody.of(invitations.accept(Caller.of(security), id));
    }

    @POST
    @Path("{id}/decline")
    public Response decline(@Context SecurityContext security, @PathParam("id") String id) {
        invitations.decline(Caller.of(security), id);
        return Response.noContent().build();
    }
}
