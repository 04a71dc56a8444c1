package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallation.NodeState;
import com.dooneflow.api.ConnectorInstallationService;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.ValidationException;

/**
 * The desired connector features in {@code df_connector_desired} and what each node reached in
 * {@code df_connector_node_state}. Every change moves the {@code connectors} change counter in its own transaction,
 * and the entry takes the counter's new value as its generation, so a node's report is matched to the change it
 * answers.
 */
@Component(service = ConnectorInstallationService.class)
public class ConnectorInstallationServiceImpl implements ConnectorInstallationService {

    private final Database db;
    private final Supplier<List<ClusterNode>> nodes;
    private final Clock clock;

    @Activate
    public ConnectorInstallationServiceImpl(@Reference Database db, @Reference ClusterService cluster) {
        this(db, cluster::nodes, Clock.systemUTC());
    }

    ConnectorInstallationServiceImpl(Database db, Supplier<List<ClusterNode>> nodes, Clock clock) {
        this.db = db;
        this.nodes = nodes;
        this.clock = clock;
    }

    @Override
    public ConnectorInstallation install(String repository, String feature, String version, String requestedBy) {
        List<FieldError> errors = new ArrayList<>();
        addProblem(errors, "repository", ConnectorInstallation.repositoryProblem(repository));
        addProblem(errors, "feature", ConnectorInstallation.featureProblem(feature));
        addProblem(errors, "version", ConnectorInstallation.versionProblem(version));
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Instant now = now();
        Jdbc.tx(db.dataSource(), c -> {
            long generation = nextGeneration(c);
            if (Jdbc.update(c, "update df_connector_desired set repository = ?, version = ?, installed = ?, "
                    + "generation = ?, requested_by = ?, requested_at = ? where feature = ?", repository, version, true,
                    generation, requestedBy, now, feature) == 0) {
                Jdbc.update(c, "insert into df_connector_desired (feature, repository, version, installed, generation, "
                        + "requested_by, requested_at) values (?, ?, ?, ?, ?, ?, ?)", feature, repository, version, true,
                        generation, requestedBy, now);
            }
            return null;
        });
        return find(feature);
    }

    private static void addProblem(List<FieldError> errors, String field, String problem) {
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    @Override
    public ConnectorInstallation uninstall(String feature, String requestedBy) {
        Instant now = now();
        boolean known = Jdbc.tx(db.dataSource(), c -> {
            long generation = nextGeneration(c);
            return Jdbc.update(c, "update df_connector_desired set installed = ?, generation = ?, requested_by = ?, "
                    + "requested_at = ? where feature = ?", false, generation, requestedBy, now, feature) == 1;
        });
        if (!known) {
            throw new NotFoundException("No connector feature '" + feature + "' was installed through the cluster-wide "
                    + "installation");
        }
        return find(feature);
    }

    /** Moves the {@code connectors} change counter and returns its new value; the row lock orders concurrent changes. */
    private static long nextGeneration(Connection c) throws SQLException {
        Jdbc.update(c, "update df_change set version = version + 1 where topic = 'connectors'");
        return readGeneration(c);
    }

    private static long readGeneration(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select version from df_change where topic = 'connectors'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public long generation() {
        return Jdbc.tx(db.dataSource(), ConnectorInstallationServiceImpl::readGeneration);
    }

    private ConnectorInstallation find(String feature) {
        return list().stream().filter(i -> i.feature().equals(feature)).findFirst().orElseThrow();
    }

    @Override
    public List<ConnectorInstallation> list() {
        List<String> living = nodes.get().stream().filter(ClusterNode::alive).map(ClusterNode::id).toList();
        return Jdbc.tx(db.dataSource(), c -> {
            Map<String, Map<String, Reported>> reports = reports(c);
            List<ConnectorInstallation> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select feature, repository, version, installed, generation, "
                    + "requested_at from df_connector_desired order by feature");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String feature = rs.getString("feature");
                    long generation = rs.getLong("generation");
                    Map<String, Reported> byNode = reports.getOrDefault(feature, Map.of());
                    List<NodeState> states = living.stream().map(node -> state(node, byNode.get(node), generation))
                            .toList();
                    entries.add(new ConnectorInstallation(feature, rs.getString("repository"), rs.getString("version"),
                            rs.getBoolean("installed"), generation, Jdbc.getInstant(rs, "requested_at"), states));
                }
            }
            return entries;
        });
    }

    /** A report of an older generation answers an earlier change: the node has not reached this one yet. */
    private static NodeState state(String node, Reported reported, long generation) {
        if (reported == null || reported.generation() < generation) {
            return new NodeState(node, "pending", null, null);
        }
        return new NodeState(node, reported.state(), reported.reason(), reported.at());
    }

    private record Reported(long generation, String state, String reason, Instant at) {
    }

    private static Map<String, Map<String, Reported>> reports(Connection c) throws SQLException {
        Map<String, Map<String, Reported>> reports = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select node_id, feature, generation, state, reason, updated_at "
                + "from df_connector_node_state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                reports.computeIfAbsent(rs.getString("feature"), f -> new HashMap<>()).put(rs.getString("node_id"),
                        new Reported(rs.getLong("generation"), rs.getString("state"), rs.getString("reason"),
                                Jdbc.getInstant(rs, "updated_at")));
            }
        }
        return reports;
    }

    @Override
    public void report(String nodeId, String feature, long generation, String state, String reason) {
        String shortReason = reason == null || reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
        Instant now = now();
        Jdbc.tx(db.dataSource(), c -> {
            if (Jdbc.update(c, "update df_connector_node_state set generation = ?, state = ?, reason = ?, updated_at = ? "
                    + "where node_id = ? and feature = ?", generation, state, shortReason, now, nodeId, feature) == 0) {
                Jdbc.update(c, "insert into df_connector_node_state (node_id, feature, generation, state, reason, "
                        + "updated_at) values (?, ?, ?, ?, ?, ?)", nodeId, feature, generation, state, shortReason, now);
            }
            return null;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
