package com.dooneflow.api.spi;

import java.util.Map;

/**
 * An enabled workflow's trigger as a source needs to route to it. {@code params} are the trigger's
 * parameters as saved (secret parameters are not included; read them from the vault).
 */
public record TriggerBinding(String organizationId, String workflowId, int workflowVersion, Map<String, Object> params) {
}
