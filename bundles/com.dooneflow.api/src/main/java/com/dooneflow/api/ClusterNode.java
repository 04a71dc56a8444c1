package com.dooneflow.api;

import java.time.Instant;

/**
 * A DooneFlow node sharing the database: its stable id, when it started and last beat, whether it counts as alive
 * (it beat within the dead-after time), and how many executions it is running now.
 */
public record ClusterNode(String id, Instant startedAt, Instant heartbeatAt, boolean alive, int runningExecutions) {
}
