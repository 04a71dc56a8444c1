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
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
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
import com.dooneflow.api.NodeRole;

/**
 * Nodes beat into {@code df_node}, publishing with each beat the address they advertise, their version, their roles
 * and the action types they run (none without the worker role). At every beat a node also looks for nodes that
 * stopped beating for {@code nodeDeadSeconds}: it makes their running executions due at once (the next claim takes them over with a new
 * lease token, so the dead node, should it only have paused, can write nothing) and expires their leases (an inbox's
 * poller moves at once). At start a node takes back its own unfinished claims of before a restart the same way.
 */
@Component(service = ClusterService.class, immediate = true, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class NodeRegistryImpl implements ClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistryImpl.class);

    /** The leases of email inboxes ({@code email-inbox/<id>}, taken by the poller of each inbox). */
    static final String INBOX_LEASES = "email-inbox/";

    private final Database db;
    private final String nodeId;
    private final Clock clock;
    private final Duration deadAfter;
    private final Set<NodeRole> roles;
    private final String address;
    private final String version;
    private final ScheduledExecutorService timer;
    private volatile String actionTypes;
    private volatile boolean claiming;

    @Activate
    public NodeRegistryImpl(@Reference Database db, @Reference LeaseService leases, Map<String, Object> config,
                            BundleContext context) {
        this(db, leases.nodeId(), Clock.systemUTC(), deadAfter(config), rolesOrRefuse(config, context),
                NodeAddress.resolve(Settings.of(config), context.getProperty("org.osgi.service.http.port")),
                version(context.getBundle().getVersion()));
        long every = Settings.of(config).positiveInt("nodeHeartbeatSeconds", "DOONEFLOW_NODE_HEARTBEAT_SECONDS", 2);
        timer.scheduleWithFixedDelay(this::beatSafely, every, every, TimeUnit.SECONDS);
    }

    /** How long a node may miss heartbeats before the others count it dead ({@code nodeDeadSeconds}, 10). */
    static Duration deadAfter(Map<String, Object> config) {
        return Duration.ofSeconds(Settings.of(config).positiveInt("nodeDeadSeconds", "DOONEFLOW_NODE_DEAD_SECONDS", 10));
    }

    /** This node's roles ({@code DOONEFLOW_ROLES}, {@code roles}); an unknown one fails. */
    static Set<NodeRole> roles(Settings settings) {
        return NodeRole.parse(settings.get("roles", "DOONEFLOW_ROLES"));
    }

    /**
     * A node with a role it cannot have must not run half its part (serve the API it should not, or claim nothing
     * while the operator thinks it does): it says why and stops the whole distribution.
     */
    private static Set<NodeRole> rolesOrRefuse(Map<String, Object> config, BundleContext context) {
        try {
            return roles(Settings.of(config));
        } catch (IllegalArgumentException e) {
            String message = "DooneFlow does not start: " + e.getMessage();
            LOG.error(message);
            System.err.println(message);
            Thread stop = new Thread(() -> {
                try {
                    context.getBundle(0).stop();
                } catch (BundleException | IllegalStateException stopFailed) {
                    LOG.error("Could not stop the distribution", stopFailed);
                }
            }, "dooneflow-refuse-start");
            stop.start();
            throw e;
        }
    }

    /** The bundle version as the distribution is named: {@code 0.1.0-SNAPSHOT}, {@code 1.2.0}. */
    static String version(Version v) {
        String base = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        return v.getQualifier().isEmpty() ? base : base + "-" + v.getQualifier();
    }

    NodeRegistryImpl(Database db, String nodeId, Clock clock, Duration deadAfter) {
        this(db, nodeId, clock, deadAfter, EnumSet.allOf(NodeRole.class), null, null);
    }

    NodeRegistryImpl(Database db, String nodeId, Clock clock, Duration deadAfter, Set<NodeRole> roles, String address,
                     String version) {
        this.db = db;
        this.nodeId = nodeId;
        this.clock = clock;
        this.deadAfter = deadAfter;
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
        this.address = address;
        this.version = version;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dooneflow-node-heartbeat");
            t.setDaemon(true);
            return t;
        });
        // Not a worker: it runs no action types, so the others never hand it an execution waiting for one.
        this.actionTypes = roles.contains(NodeRole.WORKER) ? null : joined(Set.of());
        int reclaimed = takeOver(nodeId);
        beat();
        LOG.info("Node {} joined as {}{}", nodeId, NodeRole.format(roles),
                reclaimed > 0 ? "; took back " + reclaimed + " executions it ran before" : "");
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
            String roleList = "," + NodeRole.format(roles) + ",";
            if (Jdbc.update(c, "update df_node set heartbeat_at = ?, released = ?, action_types = ?, address = ?, "
                    + "version = ?, roles = ? where id = ?", now, false, actionTypes, address, version, roleList,
                    nodeId) == 0) {
                Jdbc.update(c, "insert into df_node (id, started_at, heartbeat_at, released, action_types, address, "
                        + "version, roles) values (?, ?, ?, ?, ?, ?, ?, ?)", nodeId, now, now, false, actionTypes,
                        address, version, roleList);
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
        String joined = joined(roles.contains(NodeRole.WORKER) ? types : Set.of());
        boolean changed = !joined.equals(actionTypes);
        actionTypes = joined.length() > 4000 ? null : joined; // so many types: counted as unknown, not cut short
        if (changed) {
            beatSafely(); // the others learn of a connector installed or removed at once
        }
    }

    /** {@code ,a,b,}: every type between commas, so {@code like '%,a,%'} finds one. */
    private static String joined(Set<String> types) {
        return types.stream().sorted().collect(Collectors.joining(",", ",", ","));
    }

    @Override
    public Set<NodeRole> roles() {
        return roles;
    }

    @Override
    public void reportClaiming(boolean claiming) {
        this.claiming = claiming;
    }

    @Override
    public boolean claiming() {
        return claiming && roles.contains(NodeRole.WORKER);
    }

    @Override
    public List<ClusterNode> nodes() {
        Instant now = now();
        Instant alive = now.minus(deadAfter);
        return Jdbc.tx(db.dataSource(), c -> {
            Map<String, Integer> running = runningByNode(c);
            Map<String, Integer> inboxes = inboxesByNode(c, now);
            List<ClusterNode> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, address, version, started_at, heartbeat_at, "
                    + "action_types, roles from df_node order by id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant beat = Jdbc.getInstant(rs, "heartbeat_at");
                    String id = rs.getString("id");
                    nodes.add(new ClusterNode(id, rs.getString("address"), rs.getString("version"),
                            Jdbc.getInstant(rs, "started_at"), beat, !beat.isBefore(alive), running.getOrDefault(id, 0),
                            inboxes.getOrDefault(id, 0), split(rs.getString("action_types")),
                            split(rs.getString("roles"))));
                }
            }
            return nodes;
        });
    }

    /** {@code ,a,b,} → [a, b]; null (not published) → []. */
    static List<String> split(String joined) {
        return joined == null ? List.of() : Arrays.stream(joined.split(",")).filter(t -> !t.isEmpty()).toList();
    }

    /** The inbox leases each node holds now: the inboxes it polls. */
    private static Map<String, Integer> inboxesByNode(Connection c, Instant now) throws SQLException {
        Map<String, Integer> inboxes = new HashMap<>();
        try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select holder, count(*) from df_lease "
                + "where name like ? and expires_at > ? group by holder"), INBOX_LEASES + "%", now);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                inboxes.put(rs.getString(1), rs.getInt(2));
            }
        }
        return inboxes;
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
