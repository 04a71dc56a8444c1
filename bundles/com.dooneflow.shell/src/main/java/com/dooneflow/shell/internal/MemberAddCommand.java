package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "member-add",
        description = "Invites someone to an organization by email; prints the invitation's accept token once")
public class MemberAddCommand implements Action {

    @Reference
    InvitationService invitations;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Argument(index = 1, name = "email", required = true, description = "The person's email")
    String email;

    @Argument(index = 2, name = "role", required = false, description = "owner, admin or member (default member)")
    @Completion(values = {"owner", "admin", "member"}, value = StringsCompleter.class)
    String role = "member";

    @Override
    public Object execute() {
        IssuedInvitation issued = invitations.invite(Principal.SYSTEM, orgId, email, Role.parse(role, "role"));
        Invitation invitation = issued.invitation();
        ConsoleAudit.record(audit, orgId, "member", invitation.id(), "create",
                "fields email, role=" + invitation.role().id());
        System.out.println("Invited " + invitation.email() + " to " + invitation.organizationName() + " as "
                + invitation.role().id() + " (invitation " + invitation.id() + ", valid until " + invitation.expiresAt()
                + ").");
        System.out.println("Accept token (shown once; pass it on to " + invitation.email() + "): " + issued.acceptToken());
        System.out.println("They accept with POST /v1/invitations/accept {\"token\": \"...\"}, or in the web console's "
                + "sign-in page; someone who already has an account accepts signed in as that account.");
        return null;
    }
}
