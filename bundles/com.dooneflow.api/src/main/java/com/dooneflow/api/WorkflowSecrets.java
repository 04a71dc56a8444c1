package com.dooneflow.api;

/**
 * The names of a workflow's generated trigger secrets (the vault's owner record is the workflow): the engine
 * writes them, a trigger source reads them through {@link TriggerSecrets}.
 */
public final class WorkflowSecrets {

    /** The key callers send as {@code X-Webhook-Key}. */
    public static final String WEBHOOK_KEY = "webhookKey";

    /** The Standard Webhooks signing secret ({@code whsec_} + base64). */
    public static final String SIGNING_SECRET = "signingSecret";

    private WorkflowSecrets() {
    }
}
