package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.api.audit.AuditLog;

/** Takes a team member out of the rotation or brings them back; the two commands differ only in which. */
abstract class TeamSwitchCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    TeamService team;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "memberId", required = true, description = "Team member id (see dooneflow:team-list)")
    @Completion(TeamMemberIdCompleter.class)
    String memberId;

    abstract boolean active();

    @Override
    public Object execute() {
        // Console commands name things by id alone: find the member's organization.
        for (var org : organizations.list(Principal.SYSTEM)) {
            try {
                team.get(Principal.SYSTEM, org.id(), memberId);
            } catch (NotFoundException e) {
                continue;
            }
            TeamMember m = team.update(Principal.SYSTEM, org.id(), memberId, new TeamMemberInput(null, null, null, active()));
            ConsoleAudit.record(audit, org.id(), "team-member", memberId, "update", "fields active=" + active());
            System.out.println("Team member " + m.name() + " is now " + (m.active() ? "active" : "inactive"));
            return null;
        }
        throw new NotFoundException("no team member " + memberId);
    }
}
