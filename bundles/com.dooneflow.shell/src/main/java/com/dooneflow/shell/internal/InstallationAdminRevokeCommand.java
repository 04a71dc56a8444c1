package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.User;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "installation-admin-revoke",
        description = "Makes a user no longer an installation administrator (never the last one)")
public class InstallationAdminRevokeCommand implements Action {

    @Reference
    AccessService access;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "email", required = true, description = "The user's email")
    String email;

    @Override
    public Object execute() {
        User user = access.setInstallationAdmin(email, false);
        ConsoleAudit.record(audit, null, "installation-admin", user.id(), "revoke", null);
        System.out.println(user.email() + " is no longer an installation administrator");
        return null;
    }
}
