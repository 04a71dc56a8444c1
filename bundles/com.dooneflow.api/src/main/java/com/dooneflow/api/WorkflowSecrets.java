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

    /** The webhook key a rotation replaced, accepted until {@link #PREVIOUS_EXPIRES_AT}. */
    public static final String PREVIOUS_WEBHOOK_KEY = "previousWebhookKey";

    /** The signing secret a rotation replaced, accepted until {@link #PREVIOUS_EXPIRES_AT}. */
    public static final String PREVIOUS_SIGNING_SECRET = "previousSigningSecret";

    /** When the previous key and signing secret stop being accepted (epoch milliseconds, kept beside them). */
    public static final String PREVIOUS_EXPIRES_AT = "previousExpiresAt";

    private WorkflowSecrets() {
    }
}
