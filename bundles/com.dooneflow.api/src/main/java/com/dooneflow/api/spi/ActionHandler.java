package com.dooneflow.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import com.dooneflow.api.FieldError;

/**
 * Runs one action type. Registered as an OSGi service with the property {@value #TYPE} naming the type id.
 * When two handlers claim one type, a newer version of the same bundle wins over an older one; between different
 * bundles the highest service.ranking wins, then the lowest service.id.
 */
@ConsumerType
public interface ActionHandler {

    /** Service property naming the action type id. */
    String TYPE = "dooneflow.action.type";

    /** How long one attempt may take unless the handler says otherwise. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The type this handler runs, or null (the default) when its bundle describes it in a file in
     * {@value TypeFiles#FOLDER}, which is preferred: the engine then knows the type even while this service is not
     * running. When the bundle has a file for the type, the file is used and this method is not called.
     */
    default TypeDescriptor descriptor() {
        return null;
    }

    /**
     * Performs the step. Unexpected exceptions are treated as transient failures. The thread is interrupted when
     * the attempt outlives {@link #timeout} or the execution is cancelled: blocking calls should give up then.
     */
    ActionResult execute(ActionContext context) throws Exception;

    /**
     * The longest one attempt may take with these (rendered) parameters: the handler's own network timeouts plus
     * a margin. The engine keeps the execution's claim alive meanwhile; once the time is over it interrupts the
     * attempt, records it as timed out with its outcome unknown, and retries under the step's retry policy. The
     * engine caps it ({@code maxStepSeconds}, 5 minutes by default).
     */
    default Duration timeout(Map<String, Object> params) {
        return DEFAULT_TIMEOUT;
    }

    /**
     * Checks of an action's parameters that its descriptor cannot express (e.g. header names, a secret's format),
     * run when a workflow is saved, after the descriptor's own checks passed for this action. {@code params} are
     * as written, before any rendering: a templated value is only known at run time. A secret is present only when
     * the request sets it. Each error names the parameter ({@code headers}); the engine reports it as
     * {@code actions[1].params.headers}. Messages must not repeat secret values.
     */
    default List<FieldError> validate(String organizationId, Map<String, Object> params) {
        return List.of();
    }
}
