package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamService;

@Service
@Command(scope = "dooneflow", name = "team-list",
        description = "Lists the team members of an organization in rotation order")
public class TeamListCommand implements Action {

    @Reference
    TeamService team;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Phone");
        table.column("Email");
        table.column("Active");
        String cursor = null;
        do {
            Page<TeamMember> page = team.list(Principal.SYSTEM, orgId, 500, cursor);
            page.items().forEach(m -> table.addRow().addContent(m.id(), m.name(), m.phone(),
                    m.email() == null ? "" : m.email(), m.active() ? "yes" : "no"));
            cursor = page.nextCursor();
        } while (cursor != null);
        table.print(System.out);
        return null;
    }
}
