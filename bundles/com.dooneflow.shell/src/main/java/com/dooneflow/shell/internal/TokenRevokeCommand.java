package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "token-revoke", description = "Revokes an API token by id")
public class TokenRevokeCommand implements Action {

    @Reference
    AccessService access;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "tokenId", required = true, description = "Token id (GET /v1/tokens or /v1/me)")
    String tokenId;

    @Override
    public Object execute() {
        access.revokeAnyToken(tokenId);
        ConsoleAudit.record(audit, null, "token", tokenId, "delete", null);
        System.out.println("Revoked token " + tokenId);
        return null;
    }
}
