package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Page;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.api.store.WorkflowStore;

/** Workflows in {@code df_workflow}, every definition kept in {@code df_workflow_version}. */
@Component(service = WorkflowStore.class)
public class WorkflowStoreImpl implements WorkflowStore {

    private static final String COLUMNS = "id, org_id, name, enabled, version, trigger_type, trigger_key, definition, "
            + "created_at, updated_at";

    private final Database db;

    @Activate
    public WorkflowStoreImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public WorkflowRow insert(WorkflowRow row) {
        return write(c -> {
            Jdbc.update(c, "insert into df_workflow (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row.id(), row.organizationId(), row.name(), row.enabled(), row.version(), row.triggerType(),
                    row.triggerKey(), row.definition(), row.createdAt(), row.updatedAt());
            insertVersion(c, row);
            changed(c);
            return row;
        });
    }

    @Override
    public WorkflowRow update(WorkflowRow row, boolean newDefinition) {
        return write(c -> {
            // Only from the version the caller read: two concurrent edits cannot both become version N+1.
            int expected = newDefinition ? row.version() - 1 : row.version();
            int n = Jdbc.update(c, "update df_workflow set name = ?, enabled = ?, version = ?, trigger_type = ?, "
                            + "trigger_key = ?, definition = ?, updated_at = ? where id = ? and org_id = ? "
                            + "and deleted_at is null and version = ?",
                    row.name(), row.enabled(), row.version(), row.triggerType(), row.triggerKey(), row.definition(),
                    row.updatedAt(), row.id(), row.organizationId(), expected);
            if (n == 0) {
                if (query(c, "select " + COLUMNS + " from df_workflow where id = ? and org_id = ? and deleted_at is null",
                        row.id(), row.organizationId()).isEmpty()) {
                    throw new NotFoundException("workflow not found");
                }
                throw new ConflictException("version", "the workflow was changed meanwhile; load it again and retry");
            }
            if (newDefinition) {
                insertVersion(c, row);
            }
            changed(c);
            return row;
        });
    }

    /** Moves the change counter in the writing transaction: other nodes see it exactly when they see the change. */
    private static void changed(Connection c) throws SQLException {
        Jdbc.update(c, "update df_change set version = version + 1 where topic = 'workflows'");
    }

    @Override
    public long changes() {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("select version from df_change where topic = 'workflows'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static void insertVersion(Connection c, WorkflowRow row) throws SQLException {
        Jdbc.update(c, "insert into df_workflow_version (workflow_id, version, definition, created_at) values (?, ?, ?, ?)",
                row.id(), row.version(), row.definition(), row.updatedAt());
    }

    /** Runs a write; the unique trigger key turns into a conflict a person can act on. */
    private WorkflowRow write(Jdbc.Work<WorkflowRow> work) {
        try {
            return Jdbc.tx(db.dataSource(), work);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s && Jdbc.isDuplicate(s)
                    && String.valueOf(s.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("uq_workflow_trigger_key")) {
                throw new ConflictException("trigger.params.path", "another workflow already uses this trigger path");
            }
            throw e;
        }
    }

    @Override
    public Optional<WorkflowRow> get(String orgId, String workflowId) {
        return Jdbc.tx(db.dataSource(), c -> query(c, "select " + COLUMNS + " from df_workflow "
                + "where id = ? and org_id = ? and deleted_at is null", workflowId, orgId).stream().findFirst());
    }

    @Override
    public Optional<String> definition(String workflowId, int version) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(
                    "select definition from df_workflow_version where workflow_id = ? and version = ?"), workflowId, version);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public Page<WorkflowRow> list(String orgId, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 500));
        Cursors.Position after = Cursors.decode(cursor);
        return Jdbc.tx(db.dataSource(), c -> {
            List<WorkflowRow> rows = after == null
                    ? query(c, "select " + COLUMNS + " from df_workflow where org_id = ? and deleted_at is null "
                    + "order by created_at desc, id desc fetch first " + (size + 1) + " rows only", orgId)
                    : query(c, "select " + COLUMNS + " from df_workflow where org_id = ? and deleted_at is null "
                    + "and (created_at < ? or (created_at = ? and id < ?)) "
                    + "order by created_at desc, id desc fetch first " + (size + 1) + " rows only",
                    orgId, after.time(), after.time(), after.id());
            if (rows.size() <= size) {
                return new Page<>(rows, null);
            }
            WorkflowRow last = rows.get(size - 1);
            return new Page<>(rows.subList(0, size), Cursors.encode(last.createdAt(), last.id()));
        });
    }

    @Override
    public boolean delete(String orgId, String workflowId) {
        // Soft delete: executions keep pointing at their version; the trigger key is freed for reuse.
        return Jdbc.tx(db.dataSource(), c -> {
            boolean deleted = Jdbc.update(c, "update df_workflow set deleted_at = ?, enabled = ?, "
                    + "trigger_key = null where id = ? and org_id = ? and deleted_at is null",
                    Instant.now(), false, workflowId, orgId) == 1;
            if (deleted) {
                changed(c);
            }
            return deleted;
        });
    }

    @Override
    public List<WorkflowRow> enabledWithTrigger(String triggerType) {
        return Jdbc.tx(db.dataSource(), c -> query(c, "select " + COLUMNS + " from df_workflow "
                + "where trigger_type = ? and enabled = ? and deleted_at is null", triggerType, true));
    }

    private static List<WorkflowRow> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            List<WorkflowRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new WorkflowRow(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                        rs.getBoolean("enabled"), rs.getInt("version"), rs.getString("trigger_type"),
                        rs.getString("trigger_key"), rs.getString("definition"), Jdbc.getInstant(rs, "created_at"),
                        Jdbc.getInstant(rs, "updated_at")));
            }
            return rows;
        }
    }
}
