package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.AccessService;

@Service
@Command(scope = "dooneflow", name = "user-list", description = "Lists every user")
public class UserListCommand implements Action {

    @Reference
    AccessService access;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Email");
        table.column("Created");
        table.column("Installation admin");
        access.listUsers().forEach(u -> table.addRow().addContent(u.id(), u.email(), u.createdAt(),
                u.installationAdmin() ? "yes" : ""));
        table.print(System.out);
        return null;
    }
}
