package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "org-create",
        description = "Creates an organization (invite its first owner with dooneflow:member-add)")
public class OrganizationCreateCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "name", required = true, description = "Organization name")
    String name;

    @Override
    public Object execute() {
        Organization org = organizations.create(Principal.SYSTEM, name);
        ConsoleAudit.record(audit, org.id(), "organization", org.id(), "create", "fields name");
        System.out.println("Created organization " + org.name() + " with id " + org.id());
        return null;
    }
}
