package com.dooneflow.api;

import java.util.List;

/** What a user writes: a name, whether it is on, one trigger and the ordered actions. */
public record WorkflowDefinition(String name, Boolean enabled, StepSpec trigger, List<StepSpec> actions) {
}
