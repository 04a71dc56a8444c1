package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import com.dooneflow.api.AddedMember;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;

@Service
@Command(scope = "dooneflow", name = "member-add",
        description = "Adds a user (created if new) to an organization; a new user's token is printed once")
public class MemberAddCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Argument(index = 0, name = "orgId", required = true, description = "Organization id")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Argument(index = 1, name = "email", required = true, description = "The user's email")
    String email;

    @Argument(index = 2, name = "role", required = false, description = "owner, admin or member (default member)")
    @Completion(values = {"owner", "admin", "member"}, value = StringsCompleter.class)
    String role = "member";

    @Override
    public Object execute() {
        AddedMember added = organizations.addMember(Principal.SYSTEM, orgId, email, Role.parse(role, "role"));
        System.out.println("Added " + added.member().email() + " as " + added.member().role().id());
        if (added.token() != null) {
            System.out.println("API token for this organization (shown once): " + added.token().secret());
        }
        return null;
    }
}
