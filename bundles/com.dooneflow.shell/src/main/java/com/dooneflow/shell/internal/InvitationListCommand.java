package com.dooneflow.shell.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.InvitationService;
import com.dooneflow.api.Principal;

@Service
@Command(scope = "dooneflow", name = "invitation-list", description = "Lists the invitations of an organization, newest first")
public class InvitationListCommand implements Action {

    @Reference
    InvitationService invitations;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Email");
        table.column("Role");
        table.column("Status");
        table.column("Invited by");
        table.column("Created");
        table.column("Expires");
        invitations.list(Principal.SYSTEM, orgId).forEach(i -> table.addRow().addContent(i.id(), i.email(),
                i.role().id(), i.status().name().toLowerCase(Locale.ROOT), i.invitedBy(), i.createdAt(), i.expiresAt()));
        table.print(System.out);
        return null;
    }
}
