package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.DedupeStore;

/**
 * Keys in {@code df_dedupe}; the primary key makes "first seen" atomic across nodes. Keys longer than the
 * column are stored as their SHA-256.
 */
@Component(service = DedupeStore.class)
public class DedupeStoreImpl implements DedupeStore {

    private final Database db;

    @Activate
    public DedupeStoreImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public boolean firstSeen(String orgId, String scope, String key, Duration ttl) {
        String k = storedKey(key);
        Instant now = Instant.now();
        Instant expires = now.plus(ttl);
        return Jdbc.tx(db.dataSource(), c -> {
            // An expired key counts as unseen: take it over.
            try (PreparedStatement up = c.prepareStatement("update df_dedupe set expires_at = ? "
                    + "where org_id = ? and scope = ? and dedupe_key = ? and expires_at < ?")) {
                Jdbc.setInstant(up, 1, expires);
                up.setString(2, orgId);
                up.setString(3, scope);
                up.setString(4, k);
                Jdbc.setInstant(up, 5, now);
                if (up.executeUpdate() == 1) {
                    return true;
                }
            }
            return insert(c, orgId, scope, k, expires);
        });
    }

    private static boolean insert(Connection c, String orgId, String scope, String key, Instant expires)
            throws SQLException {
        var savepoint = c.setSavepoint();
        try (PreparedStatement in = c.prepareStatement(
                "insert into df_dedupe (org_id, scope, dedupe_key, expires_at) values (?, ?, ?, ?)")) {
            in.setString(1, orgId);
            in.setString(2, scope);
            in.setString(3, key);
            Jdbc.setInstant(in, 4, expires);
            in.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Jdbc.isDuplicate(e)) {
                c.rollback(savepoint);
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean seen(String orgId, String scope, String key) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement q = c.prepareStatement("select 1 from df_dedupe where org_id = ? and scope = ? "
                    + "and dedupe_key = ? and expires_at >= ?")) {
                q.setString(1, orgId);
                q.setString(2, scope);
                q.setString(3, storedKey(key));
                Jdbc.setInstant(q, 4, Instant.now());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public int purgeExpired() {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement d = c.prepareStatement("delete from df_dedupe where expires_at < ?")) {
                Jdbc.setInstant(d, 1, Instant.now());
                return d.executeUpdate();
            }
        });
    }

    static String storedKey(String key) {
        return key.length() <= 200 ? key : "sha256:" + Ids.sha256Hex(key);
    }
}
