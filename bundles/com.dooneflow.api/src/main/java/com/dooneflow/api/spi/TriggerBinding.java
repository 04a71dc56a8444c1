package com.dooneflow.api.spi;

import java.util.Map;

/** An enabled workflow's trigger as a source needs to route to it. */
public record TriggerBinding(String organizationId, String workflowId, Map<String, Object> params) {
}
