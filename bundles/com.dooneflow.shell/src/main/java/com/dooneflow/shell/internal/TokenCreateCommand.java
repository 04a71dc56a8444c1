package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.audit.AuditLog;

@Command(scope = "dooneflow", name = "token-create", description = "Creates an API token for a user; printed once")
@Service
public class TokenCreateCommand implements Action {

    @Reference
    AccessService access;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "email", required = true, description = "The user's email")
    String email;

    @Argument(index = 1, name = "name", required = false, description = "What the token is for")
    String name = "console";

    @Override
    public Object execute() {
        IssuedToken token = access.createTokenFor(email, name);
        ConsoleAudit.record(audit, null, "token", token.token().id(), "create", "for " + email);
        System.out.println("Token " + token.token().id() + " (shown once): " + token.secret());
        return null;
    }
}
