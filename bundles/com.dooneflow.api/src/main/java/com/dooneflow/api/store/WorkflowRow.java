package com.dooneflow.api.store;

import java.time.Instant;

/**
 * A workflow as stored: {@code definition} is the JSON of {trigger, actions} at {@code version};
 * {@code triggerKey} is the trigger's routing key that must be unique per trigger type (a webhook path).
 */
public record WorkflowRow(String id, String organizationId, String name, boolean enabled, int version,
                          String triggerType, String triggerKey, String definition, Instant createdAt,
                          Instant updatedAt) {
}
