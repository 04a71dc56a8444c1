package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;

@Service
@Command(scope = "dooneflow", name = "org-list", description = "Lists every organization")
public class OrganizationListCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Created");
        organizations.list(Principal.SYSTEM).forEach(o -> table.addRow().addContent(o.id(), o.name(), o.createdAt()));
        table.print(System.out);
        return null;
    }
}
