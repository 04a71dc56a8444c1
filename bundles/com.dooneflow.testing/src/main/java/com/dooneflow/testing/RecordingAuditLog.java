package com.dooneflow.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditFilter;
import com.dooneflow.api.audit.AuditLog;

/**
 * An audit log that keeps what it is given, in order ({@link #recorded()}), for tests of code that writes audit
 * entries. Reading it back through the API's queries is the persistence bundle's job and is not offered here.
 */
public class RecordingAuditLog implements AuditLog {

    private final List<AuditEntry> recorded = new CopyOnWriteArrayList<>();

    @Override
    public AuditEntry record(AuditEntry entry) {
        recorded.add(entry);
        return entry;
    }

    /** The entries recorded so far, oldest first. */
    public List<AuditEntry> recorded() {
        return List.copyOf(recorded);
    }

    @Override
    public Page<AuditEntry> list(Principal caller, String orgId, AuditFilter filter, int limit, String cursor) {
        throw new UnsupportedOperationException("a recording audit log is not read through queries");
    }

    @Override
    public Page<AuditEntry> listInstallation(Principal caller, AuditFilter filter, int limit, String cursor) {
        throw new UnsupportedOperationException("a recording audit log is not read through queries");
    }
}
