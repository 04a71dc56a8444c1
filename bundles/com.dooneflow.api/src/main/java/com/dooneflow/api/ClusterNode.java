package com.dooneflow.api;

import java.time.Instant;
import java.util.List;

/**
 * A DooneFlow node sharing the database: its stable id, the address it advertises (its public URL, else the
 * interface and port it listens on, else its host name), its DooneFlow version, when it started and last beat,
 * whether it counts as alive (it beat within the dead-after time), how many executions it is running now, how many
 * email inboxes it polls (the inbox leases it holds), the action types it runs and its {@link NodeRole roles}.
 * Fields a node did not publish (one started by an older version) are null or empty.
 */
public record ClusterNode(String id, String address, String version, Instant startedAt, Instant heartbeatAt,
                          boolean alive, int runningExecutions, int inboxesPolled, List<String> actionTypes,
                          List<String> roles) {

    public ClusterNode {
        actionTypes = actionTypes == null ? List.of() : List.copyOf(actionTypes);
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** A node known only by its beats. */
    public ClusterNode(String id, Instant startedAt, Instant heartbeatAt, boolean alive, int runningExecutions) {
        this(id, null, null, startedAt, heartbeatAt, alive, runningExecutions, 0, List.of(), List.of());
    }
}
