package com.dooneflow.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs one action type. Registered as an OSGi service with the property {@value #TYPE} naming the type id.
 * When two handlers claim one type, the highest service.ranking wins, then the lowest service.id.
 */
@ConsumerType
public interface ActionHandler {

    /** Service property naming the action type id. */
    String TYPE = "dooneflow.action.type";

    TypeDescriptor descriptor();

    /** Performs the step. Unexpected exceptions are treated as transient failures. */
    ActionResult execute(ActionContext context) throws Exception;

    /**
     * Checks of an action's parameters that its descriptor cannot express (e.g. header names, a secret's format),
     * run when a workflow is saved, after the descriptor's own checks passed for this action. {@code params} are
     * as written, before any rendering: a templated value is only known at run time. A secret is present only when
     * the request sets it. Each error names the parameter ({@code headers}); the engine reports it as
     * {@code actions[1].params.headers}. Messages must not repeat secret values.
     */
    default java.util.List<com.dooneflow.api.FieldError> validate(String organizationId,
                                                                   java.util.Map<String, Object> params) {
        return java.util.List.of();
    }
}
