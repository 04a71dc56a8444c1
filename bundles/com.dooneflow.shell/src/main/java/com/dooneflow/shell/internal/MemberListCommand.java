package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;

@Service
@Command(scope = "dooneflow", name = "member-list", description = "Lists the members of an organization")
public class MemberListCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("User id");
        table.column("Email");
        table.column("Role");
        table.column("Added");
        organizations.members(Principal.SYSTEM, orgId)
                .forEach(m -> table.addRow().addContent(m.userId(), m.email(), m.role().id(), m.addedAt()));
        table.print(System.out);
        return null;
    }
}
