package com.dooneflow.shell.internal;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditFilter;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "audit-list",
        description = "Lists the audit log, newest first: an organization's, or without one the installation-wide entries")
public class AuditListCommand implements Action {

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "orgId", required = false,
            description = "Organization id (default: installation-wide entries)")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Option(name = "--actor", description = "A user id, email or token id")
    String actor;

    @Option(name = "--type", description = "Object type, e.g. workflow, member, integration/twilio, session")
    String objectType;

    @Option(name = "--object", description = "Object id")
    String objectId;

    @Option(name = "--action", description = "Action, e.g. create, update, delete, sign-in-failed")
    String action;

    @Option(name = "--since", description = "From this time on (RFC 3339, e.g. 2026-01-31T00:00:00Z)")
    String since;

    @Option(name = "--limit", description = "How many (default 50, at most 500)")
    int limit = 50;

    @Override
    public Object execute() {
        AuditFilter filter = new AuditFilter(actor, objectType, objectId, action,
                since == null ? null : Instant.parse(since), null);
        Page<AuditEntry> page = orgId == null ? audit.listInstallation(Principal.SYSTEM, filter, limit, null)
                : audit.list(Principal.SYSTEM, orgId, filter, limit, null);
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Time", "Actor", "Token", "Address", "Object", "Id", "Action", "Summary"}) {
            table.column(column);
        }
        for (AuditEntry e : page.items()) {
            table.addRow().addContent(e.time(), e.actorEmail() == null ? "" : e.actorEmail(),
                    e.actorTokenId() == null ? "" : e.actorTokenId(), e.clientAddress() == null ? "" : e.clientAddress(),
                    e.objectType(), e.objectId() == null ? "" : e.objectId(), e.action(),
                    e.summary() == null ? "" : e.summary());
        }
        table.print(System.out);
        return null;
    }
}
