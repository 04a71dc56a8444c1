package com.dooneflow.api;

import java.util.Map;

/**
 * A trigger or an action of a workflow: its type id and parameters. {@code retry} (actions only, optional)
 * overrides the engine's retry policy for this step.
 */
public record StepSpec(String type, Map<String, Object> params, RetryPolicy retry) {

    public StepSpec {
        params = params == null ? Map.of() : params;
    }
}
