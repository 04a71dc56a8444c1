package com.dooneflow.persistence.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditFilter;
import com.dooneflow.api.audit.AuditLog;

/**
 * The audit log in {@code df_audit_log} (plain JDBC): rows are only inserted, listed newest first with a (time, id)
 * cursor, and deleted once older than {@code audit.retentionDays} (default 365) by a cleanup that runs an hour after
 * start and then daily. Every node runs the cleanup; it is one idempotent delete, so that costs nothing.
 */
@Component(service = AuditLog.class, configurationPid = "com.dooneflow")
public class AuditLogImpl implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogImpl.class);
    static final int DEFAULT_RETENTION_DAYS = 365;
    private static final String COLUMNS = "id, event_time, org_id, actor_user_id, actor_email, actor_token_id, "
            + "client_address, object_type, object_id, action, summary";

    private final Database db;
    private final OrganizationService organizations;
    private final AccessService access;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService cleanup;

    @Activate
    public AuditLogImpl(@Reference Database db, @Reference OrganizationService organizations,
                        @Reference AccessService access, Map<String, Object> config) {
        this(db, organizations, access, Clock.systemUTC(), Duration.ofDays(Settings.of(config)
                .positiveInt("audit.retentionDays", "DOONEFLOW_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)), true);
    }

    AuditLogImpl(Database db, OrganizationService organizations, AccessService access, Clock clock,
                 Duration retention, boolean scheduleCleanup) {
        this.db = db;
        this.organizations = organizations;
        this.access = access;
        this.clock = clock;
        this.retention = retention;
        this.cleanup = scheduleCleanup ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dooneflow-audit-retention");
            t.setDaemon(true);
            return t;
        }) : null;
        if (cleanup != null) {
            cleanup.scheduleWithFixedDelay(this::purgeQuietly, 60, 24 * 60, TimeUnit.MINUTES);
        }
    }

    @Deactivate
    void stop() {
        if (cleanup != null) {
            cleanup.shutdownNow();
        }
    }

    @Override
    public AuditEntry record(AuditEntry e) {
        AuditEntry stored = new AuditEntry(Ids.uuid(), clock.instant().truncatedTo(ChronoUnit.MILLIS),
                e.organizationId(), e.actorUserId(), cut(e.actorEmail(), 320), e.actorTokenId(),
                cut(e.clientAddress(), 100), cut(e.objectType(), 100), cut(e.objectId(), 200), cut(e.action(), 100),
                cut(e.summary(), 2000));
        Jdbc.tx(db.dataSource(), c -> Jdbc.update(c, "insert into df_audit_log (" + COLUMNS + ") values "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", stored.id(), stored.time(), stored.organizationId(),
                stored.actorUserId(), stored.actorEmail(), stored.actorTokenId(), stored.clientAddress(),
                stored.objectType(), stored.objectId(), stored.action(), stored.summary()));
        return stored;
    }

    @Override
    public Page<AuditEntry> list(Principal caller, String orgId, AuditFilter filter, int limit, String cursor) {
        organizations.requireRole(caller, orgId, true);
        return query(orgId, filter, limit, cursor);
    }

    @Override
    public Page<AuditEntry> listInstallation(Principal caller, AuditFilter filter, int limit, String cursor) {
        if (!access.isInstallationAdmin(caller)) {
            throw new ForbiddenException("Only installation administrators see the installation's audit log; a token "
                    + "scoped to one organization never does.");
        }
        return query(null, filter, limit, cursor);
    }

    /** Deletes the entries older than the retention period: the only delete there is. */
    int purge() {
        Instant before = clock.instant().minus(retention);
        return Jdbc.tx(db.dataSource(), c -> Jdbc.update(c, "delete from df_audit_log where event_time < ?", before));
    }

    private void purgeQuietly() {
        try {
            int n = purge();
            if (n > 0) {
                LOG.info("Audit log: removed {} entries older than {} days", n, retention.toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit log retention cleanup failed; it runs again tomorrow: {}", e.getMessage());
        }
    }

    private Page<AuditEntry> query(String orgId, AuditFilter filter, int limit, String cursor) {
        AuditFilter f = filter == null ? AuditFilter.ALL : filter;
        int size = Math.max(1, Math.min(limit, 500));
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from df_audit_log where ");
        List<Object> args = new ArrayList<>();
        if (orgId == null) {
            sql.append("org_id is null");
        } else {
            sql.append("org_id = ?");
            args.add(orgId);
        }
        if (f.actor() != null) {
            sql.append(" and (actor_user_id = ? or lower(actor_email) = lower(?) or actor_token_id = ?)");
            args.addAll(List.of(f.actor(), f.actor(), f.actor()));
        }
        condition(sql, args, "object_type", f.objectType());
        condition(sql, args, "object_id", f.objectId());
        condition(sql, args, "action", f.action());
        if (f.from() != null) {
            sql.append(" and event_time >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" and event_time < ?");
            args.add(f.to());
        }
        Cursors.Position after = Cursors.decode(cursor);
        if (after != null) {
            sql.append(" and (event_time < ? or (event_time = ? and id < ?))");
            args.addAll(List.of(after.time(), after.time(), after.id()));
        }
        sql.append(" order by event_time desc, id desc limit ").append(size + 1);
        List<AuditEntry> rows = Jdbc.tx(db.dataSource(), c -> {
            List<AuditEntry> found = new ArrayList<>();
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql.toString()), args.toArray());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(new AuditEntry(rs.getString("id"), Jdbc.getInstant(rs, "event_time"),
                            rs.getString("org_id"), rs.getString("actor_user_id"), rs.getString("actor_email"),
                            rs.getString("actor_token_id"), rs.getString("client_address"),
                            rs.getString("object_type"), rs.getString("object_id"), rs.getString("action"),
                            rs.getString("summary")));
                }
            }
            return found;
        });
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            AuditEntry last = rows.get(size - 1);
            next = Cursors.encode(last.time(), last.id());
        }
        return new Page<>(List.copyOf(rows), next);
    }

    private static void condition(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" and ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String cut(String value, int max) {
        String text = value == null ? null : value.replace("\0", "");
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
