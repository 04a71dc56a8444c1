package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.User;
import com.dooneflow.api.audit.AuditLog;

@Command(scope = "dooneflow", name = "installation-admin-grant",
        description = "Makes a user an installation administrator (sees the cluster's nodes through the API)")
@Service
public class InstallationAdminGrantCommand implements Action {

    @Reference
    AccessService access;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "email", required = true, description = "The user's email")
    String email;

    @Override
    public Object execute() {
        User user = access.setInstallationAdmin(email, true);
        ConsoleAudit.record(audit, null, "installation-admin", user.id(), "grant", null);
        System.out.println(user.email() + " is an installation administrator");
        return null;
    }
}
