package com.dooneflow.testing;

import java.util.Map;
import java.util.UUID;

import com.dooneflow.api.spi.ActionContext;

/** One run of one action step as the engine hands it over; the idempotency key is execution id + step index. */
public record StepContext(String organizationId, String executionId, int stepIndex, int attempt,
                          Map<String, Object> params, Map<String, Object> variables) implements ActionContext {

    /** The first attempt of step 0 of a new execution, without variables. */
    public static StepContext of(String organizationId, Map<String, Object> params) {
        return of(organizationId, params, UUID.randomUUID().toString());
    }

    /** The first attempt of step 0 of that execution (run it again to act as a retry after a crash). */
    public static StepContext of(String organizationId, Map<String, Object> params, String executionId) {
        return new StepContext(organizationId, executionId, 0, 1, params, Map.of());
    }

    @Override
    public String idempotencyKey() {
        return executionId + ":" + stepIndex;
    }
}
