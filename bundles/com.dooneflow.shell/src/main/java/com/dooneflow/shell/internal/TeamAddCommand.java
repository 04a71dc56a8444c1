package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.Principal;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamService;

@Service
@Command(scope = "dooneflow", name = "team-add",
        description = "Adds a team member; the phone number needs its country code (+15551234567)")
public class TeamAddCommand implements Action {

    @Reference
    TeamService team;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Argument(index = 1, name = "name", required = true, description = "Full name (quote it when it has spaces)")
    String name;

    @Argument(index = 2, name = "phone", required = true, description = "Phone number with country code, e.g. +15551234567")
    String phone;

    @Option(name = "--email", description = "Email address (optional)")
    String email;

    @Option(name = "--inactive", description = "Add the member without putting them in the rotation yet")
    boolean inactive;

    @Override
    public Object execute() {
        try {
            TeamMember m = team.create(Principal.SYSTEM, orgId, new TeamMemberInput(name, phone, email, !inactive));
            ConsoleAudit.record(audit, orgId, "team-member", m.id(), "create",
                    "fields name, phone" + (email == null ? "" : ", email") + ", active=" + m.active());
            System.out.println("Added team member " + m.name() + " (" + m.phone() + ") with id " + m.id()
                    + (m.active() ? "" : ", inactive"));
        } catch (ValidationException e) {
            e.errors().forEach(f -> System.err.println(f.field() + ": " + f.message()));
        }
        return null;
    }
}
