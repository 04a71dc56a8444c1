package com.dooneflow.shell.internal;

import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.Principal;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.api.team.TeamStats;

@Service
@Command(scope = "dooneflow", name = "team-stats", description = "Counts the assignments per team member over a period")
public class TeamStatsCommand implements Action {

    @Reference
    TeamService team;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Option(name = "--days", description = "The last N days (default: all time)")
    int days;

    @Override
    public Object execute() {
        Instant from = days > 0 ? Instant.now().minus(Duration.ofDays(days)) : null;
        TeamStats stats = team.stats(Principal.SYSTEM, orgId, from, null);
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Status");
        table.column("Assignments").alignRight();
        stats.members().forEach(m -> table.addRow().addContent(m.teamMemberId(), m.name(),
                m.deleted() ? "deleted" : m.active() ? "active" : "inactive", m.assignments()));
        table.print(System.out);
        System.out.println("Total: " + stats.total() + (from == null ? "" : " since " + from));
        return null;
    }
}
