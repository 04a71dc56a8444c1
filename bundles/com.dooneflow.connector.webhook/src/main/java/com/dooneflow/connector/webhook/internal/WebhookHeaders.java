package com.dooneflow.connector.webhook.internal;

import javax.ws.rs.HeaderParam;

/** The request headers the receiver reads (a JAX-RS bean parameter, so tests can build one by hand). */
public class WebhookHeaders {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Not a header: the client's address, set by {@link WebhookServlet} from the connection. */
    public String clientAddress;

    /** {@code Bearer <API token>}, for {@code /webhook-test}. */
    @HeaderParam("Authorization")
    public String authorization;

    @HeaderParam("Content-Type")
    public String contentType;

    @HeaderParam("X-Webhook-Key")
    public String key;

    @HeaderParam(StandardWebhooks.ID)
    public String webhookId;

    @HeaderParam(StandardWebhooks.TIMESTAMP)
    public String webhookTimestamp;

    @HeaderParam(StandardWebhooks.SIGNATURE)
    public String webhookSignature;

    @HeaderParam(IDEMPOTENCY_KEY)
    public String idempotencyKey;
}
