package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.InvitationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "invitation-revoke", description = "Revokes a pending invitation: its accept token stops working")
public class InvitationRevokeCommand implements Action {

    @Reference
    InvitationService invitations;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Argument(index = 1, name = "invitationId", required = true, description = "Invitation id (dooneflow:invitation-list)")
    String invitationId;

    @Override
    public Object execute() {
        invitations.revoke(Principal.SYSTEM, orgId, invitationId);
        ConsoleAudit.record(audit, orgId, "invitation", invitationId, "delete", null);
        System.out.println("Revoked invitation " + invitationId);
        return null;
    }
}
