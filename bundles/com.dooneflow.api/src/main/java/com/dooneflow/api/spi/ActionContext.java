package com.dooneflow.api.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Everything one run of one action step may use. */
@ProviderType
public interface ActionContext {

    String organizationId();

    String executionId();

    int stepIndex();

    /** 1 on the first try. */
    int attempt();

    /** Execution id + step index: the same across retries, to make side effects idempotent. */
    String idempotencyKey();

    /** The step's parameters with templates already rendered. */
    Map<String, Object> params();

    /** Trigger data and earlier steps' outputs by variable name. */
    Map<String, Object> variables();
}
