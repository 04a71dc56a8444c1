package com.dooneflow.engine.internal;

import org.slf4j.MDC;

/** The MDC keys the engine sets while it works on one execution, so its log lines can be followed across nodes. */
final class LogContext {

    static final String EXECUTION = "executionId";
    static final String ORGANIZATION = "organizationId";
    static final String WORKFLOW = "workflowId";

    private LogContext() {
    }

    static void clear() {
        MDC.remove(EXECUTION);
        MDC.remove(ORGANIZATION);
        MDC.remove(WORKFLOW);
    }
}
