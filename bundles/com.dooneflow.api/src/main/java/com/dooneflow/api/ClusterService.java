package com.dooneflow.api;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The nodes sharing the database. Each beats into the database; a node that misses its beats for the dead-after
 * time is declared dead by the others, which take over its executions and leases at once.
 */
@ProviderType
public interface ClusterService {

    /** This node's id: {@code DOONEFLOW_NODE_ID}, or one generated once and kept in {@code data/}. */
    String nodeId();

    /** Every node that has beaten into this database, this one included, by id. */
    List<ClusterNode> nodes();

    /**
     * The action types whose handlers run on this node, published with its beats: an execution waiting for a type
     * that another living node runs is due at once, for that node to take (nodes claim waiting executions only for
     * types they run).
     */
    void advertise(Set<String> actionTypes);

    /**
     * This node's roles ({@code DOONEFLOW_ROLES}, {@code roles} in {@code etc/com.dooneflow.cfg}; default all). The
     * service does not start with an unknown role, so a node never runs with a role it was not meant to have.
     */
    Set<NodeRole> roles();

    /** Whether this node has the role. */
    default boolean hasRole(NodeRole role) {
        return roles().contains(role);
    }

    /**
     * The execution worker says whether it claims work now: true while its claims succeed, false once it stops or a
     * claim fails. Shown by {@code /v1/health} of a worker node.
     */
    void reportClaiming(boolean claiming);

    /** What the execution worker last reported; false before it started and on nodes without the worker role. */
    boolean claiming();
}
