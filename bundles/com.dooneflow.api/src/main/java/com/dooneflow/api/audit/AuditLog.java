package com.dooneflow.api.audit;

import org.osgi.annotation.versioning.ProviderType;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;

/**
 * The audit log: append-only. Nothing changes or deletes an entry except the retention cleanup, which removes
 * entries older than the retention period.
 */
@ProviderType
public interface AuditLog {

    /** Appends the entry with a new id and the current time, and returns it as stored. */
    AuditEntry record(AuditEntry entry);

    /** An organization's entries, newest first; owners and admins only. */
    Page<AuditEntry> list(Principal caller, String orgId, AuditFilter filter, int limit, String cursor);

    /** Installation-wide entries (those of no organization), newest first; installation administrators only. */
    Page<AuditEntry> listInstallation(Principal caller, AuditFilter filter, int limit, String cursor);
}
