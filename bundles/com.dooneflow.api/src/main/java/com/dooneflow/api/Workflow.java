package com.dooneflow.api;

import java.time.Instant;
import java.util.List;

/**
 * A saved workflow at its current version. Secret parameters never appear in {@code trigger}/{@code actions};
 * in their place the params carry {@code "<name>Set": true|false}.
 */
public record Workflow(String id, String organizationId, String name, boolean enabled, int version, StepSpec trigger,
                       List<StepSpec> actions, boolean webhookKeySet, Instant createdAt, Instant updatedAt) {
}
