package com.dooneflow.persistence.internal;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;

/**
 * Leases in {@code df_lease}. Taking one is a conditional update (free, expired or ours) or an insert that
 * the primary key lets only one node win; the fencing token grows with every change of holder.
 */
@Component(service = LeaseService.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class LeaseServiceImpl implements LeaseService {

    private final Database db;
    private final String nodeId;

    @Activate
    public LeaseServiceImpl(@Reference Database db, Map<String, Object> config) {
        this(db, NodeIdentity.resolve(Settings.of(config), Path.of(System.getProperty("karaf.data", "data"))));
    }

    LeaseServiceImpl(Database db, String nodeId) {
        this.db = db;
        this.nodeId = nodeId;
    }

    @Override
    public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expires = now.plus(ttl);
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement up = c.prepareStatement("update df_lease set "
                    + "fencing_token = case when holder = ? then fencing_token else fencing_token + 1 end, "
                    + "holder = ?, expires_at = ? where name = ? and (holder = ? or expires_at < ?)")) {
                up.setString(1, holder);
                up.setString(2, holder);
                Jdbc.setInstant(up, 3, expires);
                up.setString(4, name);
                up.setString(5, holder);
                Jdbc.setInstant(up, 6, now);
                if (up.executeUpdate() == 1) {
                    try (PreparedStatement q = c.prepareStatement("select fencing_token from df_lease where name = ?")) {
                        q.setString(1, name);
                        try (var rs = q.executeQuery()) {
                            rs.next();
                            return Optional.of(new Lease(name, holder, rs.getLong(1), expires));
                        }
                    }
                }
            }
            var savepoint = c.setSavepoint();
            try (PreparedStatement in = c.prepareStatement(
                    "insert into df_lease (name, holder, fencing_token, expires_at) values (?, ?, 1, ?)")) {
                in.setString(1, name);
                in.setString(2, holder);
                Jdbc.setInstant(in, 3, expires);
                in.executeUpdate();
                return Optional.of(new Lease(name, holder, 1, expires));
            } catch (SQLException e) {
                if (Jdbc.isDuplicate(e)) {
                    c.rollback(savepoint);
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement up = c.prepareStatement("update df_lease set expires_at = ? "
                    + "where name = ? and holder = ? and fencing_token = ? and expires_at >= ?")) {
                Jdbc.setInstant(up, 1, Instant.now().plus(ttl));
                up.setString(2, lease.name());
                up.setString(3, lease.holder());
                up.setLong(4, lease.fencingToken());
                Jdbc.setInstant(up, 5, Instant.now());
                return up.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(Lease lease) {
        // Expire rather than delete, so the fencing token keeps growing for the next holder.
        Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement up = c.prepareStatement("update df_lease set expires_at = ? "
                    + "where name = ? and holder = ? and fencing_token = ?")) {
                Jdbc.setInstant(up, 1, Instant.EPOCH);
                up.setString(2, lease.name());
                up.setString(3, lease.holder());
                up.setLong(4, lease.fencingToken());
                return up.executeUpdate();
            }
        });
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

}
