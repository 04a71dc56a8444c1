package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.LeaseService;

/**
 * Nodes beat into {@code df_node}. At every beat a node also looks for nodes that stopped beating for
 * {@code nodeDeadSeconds}: it makes their running executions due at once (the next claim takes them over with a new
 * lease token, so the dead node, should it only have paused, can write nothing) and expires their leases (an inbox's
 * poller moves at once). At start a node takes back its own unfinished claims of before a restart the same way.
 */
@Component(service = ClusterService.class, immediate = true, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class NodeRegistryImpl implements ClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistryImpl.class);

    private final Database db;
    private final String nodeId;
    private final Clock clock;
    private final Duration deadAfter;
    private final ScheduledExecutorService timer;
    private volatile String actionTypes;

    @Activate
    public NodeRegistryImpl(@Reference Database db, @Reference LeaseService leases, Map<String, Object> config) {
        this(db, leases.nodeId(), Clock.systemUTC(), deadAfter(config));
        long every = Settings.of(config).positiveInt("nodeHeartbeatSeconds", "DOONEFLOW_NODE_HEARTBEAT_SECONDS", 2);
        timer.scheduleWithFixedDelay(this::beatSafely, every, every, TimeUnit.SECONDS);
    }

    /** How long a node may miss heartbeats before the others count it dead ({@code nodeDeadSeconds}, 10). */
    static Duration deadAfter(Map<String, Object> config) {
        return Duration.ofSeconds(Settings.of(config).positiveInt("nodeDeadSeconds", "DOONEFLOW_NODE_DEAD_SECONDS", 10));
    }

    NodeRegistryImpl(Database db, String nodeId, Clock clock, Duration deadAfter) {
        this.db = db;
        this.nodeId = nodeId;
        this.clock = clock;
        this.deadAfter = deadAfter;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dooneflow-node-heartbeat");
            t.setDaemon(true);
            return t;
        });
        int reclaimed = takeOver(nodeId);
        beat();
        LOG.info("Node {} joined{}", nodeId, reclaimed > 0 ? "; took back " + reclaimed + " executions it ran before" : "");
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("Node heartbeat failed; retrying", e);
        }
    }

    /** Records this node's beat, then hands the work of nodes that stopped beating to the living. */
    void beat() {
        Instant now = now();
        Jdbc.tx(db.dataSource(), c -> {
            if (Jdbc.update(c, "update df_node set heartbeat_at = ?, released = ?, action_types = ? where id = ?", now,
                    false, actionTypes, nodeId) == 0) {
                Jdbc.update(c, "insert into df_node (id, started_at, heartbeat_at, released, action_types) "
                        + "values (?, ?, ?, ?, ?)", nodeId, now, now, false, actionTypes);
            }
            return null;
        });
        for (String dead : deadNodes(now)) {
            int moved = takeOver(dead);
            Jdbc.tx(db.dataSource(), c -> Jdbc.update(c, "update df_node set released = ? where id = ? "
                    + "and heartbeat_at < ?", true, dead, now.minus(deadAfter)));
            LOG.warn("Node {} stopped beating for {} s: {} of its executions and its leases were handed over", dead,
                    deadAfter.toSeconds(), moved);
        }
    }

    private List<String> deadNodes(Instant now) {
        return Jdbc.tx(db.dataSource(), c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select id from df_node where heartbeat_at < ? "
                    + "and released = ? and id <> ?"), now.minus(deadAfter), false, nodeId);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /** Makes a node's running executions due now and expires its leases; returns how many executions. */
    private int takeOver(String node) {
        Instant now = now();
        return Jdbc.tx(db.dataSource(), c -> {
            int moved = Jdbc.update(c, "update df_execution set next_attempt_at = ? where status = 'running' "
                    + "and lease_owner like ? escape '!'", now, likePrefix(node));
            Jdbc.update(c, "update df_lease set expires_at = ? where holder = ? and expires_at > ?", now, node, now);
            return moved;
        });
    }

    /** {@code node:%} with LIKE's wildcards in the id taken literally. */
    private static String likePrefix(String node) {
        return Jdbc.likeLiteral(node) + ":%";
    }

    @Override
    public void advertise(Set<String> types) {
        String joined = types.stream().sorted().collect(java.util.stream.Collectors.joining(",", ",", ","));
        boolean changed = !joined.equals(actionTypes);
        actionTypes = joined.length() > 4000 ? null : joined; // so many types: counted as unknown, not cut short
        if (changed) {
            beatSafely(); // the others learn of a connector installed or removed at once
        }
    }

    @Override
    public List<ClusterNode> nodes() {
        Instant alive = now().minus(deadAfter);
        return Jdbc.tx(db.dataSource(), c -> {
            Map<String, Integer> running = runningByNode(c);
            List<ClusterNode> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, started_at, heartbeat_at from df_node order by id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant beat = Jdbc.getInstant(rs, "heartbeat_at");
                    String id = rs.getString("id");
                    nodes.add(new ClusterNode(id, Jdbc.getInstant(rs, "started_at"), beat, !beat.isBefore(alive),
                            running.getOrDefault(id, 0)));
                }
            }
            return nodes;
        });
    }

    /** Running executions per node, in one query: a lease owner is {@code <node id>:<lease token>}. */
    private static Map<String, Integer> runningByNode(Connection c) throws SQLException {
        Map<String, Integer> running = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select lease_owner, count(*) from df_execution "
                + "where status = 'running' and lease_owner is not null group by lease_owner");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String owner = rs.getString(1);
                int colon = owner.lastIndexOf(':');
                running.merge(colon < 0 ? owner : owner.substring(0, colon), rs.getInt(2), Integer::sum);
            }
        }
        return running;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
