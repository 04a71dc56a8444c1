package com.dooneflow.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a node of a cluster does ({@code DOONEFLOW_ROLES}, default all three): {@link #API} serves the REST API,
 * webhooks and the console; {@link #WORKER} claims and runs executions; {@link #POLLER} polls and watches email
 * inboxes. A node started with none of a role's work leaves it to the nodes that have the role.
 */
public enum NodeRole {
    API, WORKER, POLLER;

    /** The name as written in {@code DOONEFLOW_ROLES}: {@code api}, {@code worker}, {@code poller}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The roles of a comma-separated list such as {@code api,worker}; null or blank: all of them.
     *
     * @throws IllegalArgumentException naming the first unknown role
     */
    public static Set<NodeRole> parse(String list) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(NodeRole.class);
        }
        Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
        for (String part : list.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            roles.add(Arrays.stream(values()).filter(r -> r.id().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown node role '" + name
                            + "' in DOONEFLOW_ROLES (roles): the roles are api, worker and poller")));
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("DOONEFLOW_ROLES (roles) names no role: give api, worker or poller");
        }
        return roles;
    }

    /** {@code api,worker,poller}: the roles in their order, as {@link #parse} reads them. */
    public static String format(Set<NodeRole> roles) {
        return Arrays.stream(values()).filter(roles::contains).map(NodeRole::id).collect(Collectors.joining(","));
    }
}
