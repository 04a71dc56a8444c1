package com.dooneflow.testing;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.NodeRole;

/**
 * One node of a cluster, in memory: its roles, the nodes a test says the cluster has, the action types this node
 * last advertised and whether its workers last said they were claiming.
 */
public class InMemoryClusterService implements ClusterService {

    private final String nodeId;
    private final Set<NodeRole> roles;
    private volatile List<ClusterNode> nodes = List.of();
    private volatile Set<String> advertised = Set.of();
    private volatile boolean claiming;

    /** Node {@code node-1} with every role. */
    public InMemoryClusterService() {
        this("node-1", EnumSet.allOf(NodeRole.class));
    }

    public InMemoryClusterService(String nodeId, Set<NodeRole> roles) {
        this.nodeId = nodeId;
        // In the enum's order, as the real service answers.
        this.roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(NodeRole.class) : EnumSet.copyOf(roles));
    }

    /** What {@link #nodes()} answers from now on. */
    public InMemoryClusterService withNodes(List<ClusterNode> nodes) {
        this.nodes = List.copyOf(nodes);
        return this;
    }

    /** The action types this node last advertised. */
    public Set<String> advertised() {
        return advertised;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public List<ClusterNode> nodes() {
        return nodes;
    }

    @Override
    public void advertise(Set<String> actionTypes) {
        advertised = Set.copyOf(actionTypes);
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
        return claiming;
    }
}
