package com.dooneflow.connector.webhook.internal;

import javax.ws.rs.CookieParam;
import javax.ws.rs.HeaderParam;

/** The request headers the receiver reads (a JAX-RS bean parameter, so tests can build one by hand). */
public class WebhookHeaders {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String SESSION_COOKIE = "dooneflow_session";
    static final String CSRF_TOKEN = "X-CSRF-Token";

    /** Not a header: the client's address, set by {@link WebhookServlet} from the connection. */
    public String clientAddress;

    /** {@code Bearer <API token>}, for {@code /webhook-test}. */
    @HeaderParam("Authorization")
    public String authorization;

    /** The console's session cookie, for {@code /webhook-test} when no {@code Authorization} is sent. */
    @CookieParam(SESSION_COOKIE)
    public String session;

    /** The console session's CSRF token, which a test run made with the session cookie must repeat. */
    @HeaderParam(CSRF_TOKEN)
    public String csrfToken;

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
