package com.dooneflow.shell.internal;

import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;

/** Changes made on the Karaf console go to the audit log too: by {@code system}, from {@code console}. */
final class ConsoleAudit {

    static final String ADDRESS = "console";

    private ConsoleAudit() {
    }

    static void record(AuditLog audit, String orgId, String objectType, String objectId, String action,
                       String summary) {
        audit.record(AuditEntry.of(orgId, Principal.SYSTEM, ADDRESS, objectType, objectId, action, summary));
    }
}
