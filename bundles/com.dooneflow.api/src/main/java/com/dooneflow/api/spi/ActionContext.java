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

    /**
     * The step's parameters bound to {@code type}, a record (or bean) whose components are named after them:
     * {@code record Params(String to, String body, Integer timeoutSeconds) {}}. The engine has already checked them
     * against the descriptor when the workflow was saved, so binding fails only when the class does not fit the
     * descriptor (a component of the wrong type).
     *
     * @throws IllegalArgumentException when a value cannot be bound to its component
     */
    default <T> T params(Class<T> type) {
        return TypeFiles.bind(params(), type);
    }

    /** Trigger data and earlier steps' outputs by variable name. */
    Map<String, Object> variables();

    /**
     * Registers how to stop this attempt early when it runs out of time or its execution is cancelled, for work a
     * thread interrupt does not reach (a blocking socket read: pass the HTTP request's abort). The engine calls it
     * from another thread, besides interrupting the attempt's thread; the attempt then fails as it would on a
     * broken connection.
     */
    default void onStop(Runnable stop) {
    }
}
