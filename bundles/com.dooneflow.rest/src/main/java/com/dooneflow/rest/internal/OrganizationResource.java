package com.dooneflow.rest.internal;

import java.util.List;

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

import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.Member;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.PasswordResetService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code /v1/organizations}, their members and invitations. Access rules live in {@link OrganizationService} and
 * {@link InvitationService}.
 */
@Component(service = OrganizationResource.class)
@DooneFlowResource
@Path("v1/organizations")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    private final OrganizationService organizations;
    private final InvitationService invitations;
    private final PasswordResetService resets;
    private final Mailer mailer;

    @Activate
    public OrganizationResource(@Reference OrganizationService organizations, @Reference InvitationService invitations,
                                @Reference PasswordResetService resets, @Reference Mailer mailer) {
        this.organizations = organizations;
        this.invitations = invitations;
        this.resets = resets;
        this.mailer = mailer;
    }

    /** Without password resets and mail (tests of the other operations). */
    OrganizationResource(OrganizationService organizations, InvitationService invitations) {
        this(organizations, invitations, null, new Mailer(MailSettings.of(java.util.Map.of(), java.util.Map.of())));
    }

    @GET
    public Dto.Items<Organization> list(@Context SecurityContext security) {
        return Dto.Items.of(organizations.list(Caller.of(security)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, Dto.NameBody body) {
        return Response.status(201).entity(organizations.create(Caller.of(security), body.name())).build();
    }

    @GET
    @Path("{orgId}")
    public Organization get(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        return organizations.get(Caller.of(security), orgId);
    }

    @PATCH
    @Path("{orgId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Organization update(@Context SecurityContext security, @PathParam("orgId") String orgId, Dto.NameBody body) {
        return organizations.rename(Caller.of(security), orgId, body.name());
    }

    @GET
    @Path("{orgId}/members")
    public Dto.Items<Member> members(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        List<Member> members = organizations.members(Caller.of(security), orgId);
        return Dto.Items.of(members);
    }

    /** Adding a member invites them: the same answer whether or not the email has an account. */
    @POST
    @Path("{orgId}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addMember(@Context SecurityContext security, @PathParam("orgId") String orgId,
                              Dto.AddMemberBody body) {
        Principal caller = Caller.of(security);
        organizations.requireRole(caller, orgId, true); // who may comes first: a stranger learns nothing from a 422
        var issued = invitations.invite(caller, orgId, body.email(), Role.parse(body.role(), "role"));
        Mails.Mail mail = Mails.invitation(issued.invitation(),
                mailer.enabled() ? mailer.link("/sign-in#invitation=" + issued.acceptToken()) : "");
        boolean emailed = mailer.send(issued.invitation().email(), mail.subject(), mail.text());
        return Response.status(201).entity(Dto.NewInvitation.of(issued, emailed)).build();
    }

    /**
     * A one-time password reset link for a member (owners and admins; only owners for an owner), emailed to them when
     * mail is configured. The answer carries the reset secret this once, for the console to show as a link to pass on.
     */
    @POST
    @Path("{orgId}/members/{userId}/password-reset")
    public Response resetPassword(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                  @PathParam("userId") String userId) {
        PasswordResetService.IssuedReset reset = resets.create(Caller.of(security), orgId, userId);
        Mails.Mail mail = Mails.passwordReset(reset.email(),
                mailer.enabled() ? mailer.link("/sign-in#reset=" + reset.token()) : "", reset.expiresAt());
        boolean emailed = mailer.send(reset.email(), mail.subject(), mail.text());
        return Response.status(201).entity(new Dto.NewPasswordReset(reset.userId(), reset.email(), reset.token(),
                reset.expiresAt(), emailed)).build();
    }

    @PATCH
    @Path("{orgId}/members/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Member changeRole(@Context SecurityContext security, @PathParam("orgId") String orgId,
                             @PathParam("userId") String userId, Dto.RoleBody body) {
        Principal caller = Caller.of(security);
        organizations.requireRole(caller, orgId, true); // who may comes first: a stranger learns nothing from a 422
        return organizations.changeRole(caller, orgId, userId, Role.parse(body.role(), "role"));
    }

    @DELETE
    @Path("{orgId}/members/{userId}")
    public Response removeMember(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                 @PathParam("userId") String userId) {
        organizations.removeMember(Caller.of(security), orgId, userId);
        return Response.noContent().build();
    }

    @GET
    @Path("{orgId}/invitations")
    public Dto.Items<Invitation> invitations(@Context SecurityContext security, @PathParam("orgId") String orgId) {
        return Dto.Items.of(invitations.list(Caller.of(security), orgId));
    }

    @DELETE
    @Path("{orgId}/invitations/{id}")
    public Response revokeInvitation(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                     @PathParam("id") String id) {
        invitations.revoke(Caller.of(security), orgId, id);
        return Response.noContent().build();
    }
}
