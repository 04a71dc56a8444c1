package com.dooneflow.connector.twilio.internal;

import java.util.Map;

import com.dooneflow.testing.StepContext;

/** The Twilio account the tests use (Twilio itself is WireMock; the core services are in com.dooneflow.testing). */
final class Fakes {

    static final String ORG = "org-1";
    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    static final String FROM = "+14155552671";
    static final String SERVICE_SID = "MG0123456789abcdef0123456789abcdef";

    private Fakes() {
    }

    /** Step 0 of an execution in {@link #ORG}. */
    static StepContext context(String executionId, int attempt, Map<String, Object> params,
                               Map<String, Object> variables) {
        return new StepContext(ORG, executionId, 0, attempt, params, variables);
    }
}
