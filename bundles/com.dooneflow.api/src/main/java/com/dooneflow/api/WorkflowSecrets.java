package com.dooneflow.api;

/**
 * Where the engine keeps a workflow's generated secrets in the {@link SecretVault}: owner record = the
 * workflow id, field = one of these names.
 */
public final class WorkflowSecrets {

    /** The key callers send as {@code X-Webhook-Key}. */
    public static final String WEBHOOK_KEY = "webhookKey";

    /** The Standard Webhooks signing secret ({@code whsec_} + base64). */
    public static final String SIGNING_SECRET = "signingSecret";

    private WorkflowSecrets() {
    }
}
