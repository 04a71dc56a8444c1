package com.dooneflow.connector.webhook.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.json.JsonLimits;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.OutputDescriptor.Type;
import com.dooneflow.api.spi.RetryAfter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code webhook.call} action: one HTTP request to an outside endpoint. Every request carries the step's
 * idempotency key; redirects are never followed; the connection goes only to addresses {@link OutboundGuard}
 * approved (HttpClient resolves through it, once). 2xx is done, 408/425/429/5xx and network trouble are
 * retried (honouring Retry-After), anything else fails the step.
 */
@Component(property = ActionHandler.TYPE + "=" + CallWebhookAction.TYPE, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class CallWebhookAction implements ActionHandler {

    public static final String TYPE = "webhook.call";
    static final int BODY_CHARS = 4096;
    /** Bytes read from a response; a JSON body up to this size is also offered parsed as body_json. */
    static final int READ_LIMIT = 64 * 1024;
    private static final ObjectMapper RESPONSE_JSON = JsonLimits.DEFAULTS.withMaxBodyBytes(READ_LIMIT)
            .applyTo(Json.MAPPER);
    private static final List<String> METHODS = List.of("POST", "PUT", "PATCH", "GET", "DELETE");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the HTTP client or this action own; a workflow setting them would only break the request. */
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding",
            "connection", "idempotency-key", StandardWebhooks.ID, StandardWebhooks.TIMESTAMP,
            StandardWebhooks.SIGNATURE);

    /** Settings from {@code etc/com.dooneflow.cfg}; the environment variable wins. */
    public @interface Config {
        String outboundAllowlist() default "";
    }

    private final Clock clock;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dooneflow-webhook-call-deadlines");
        t.setDaemon(true);
        return t;
    });
    /** Read by the client's DNS resolver on every new connection, so a configuration change applies at once. */
    private volatile OutboundGuard guard;

    @Activate
    public CallWebhookAction(Config config) {
        this(OutboundGuard.configured(config.outboundAllowlist()), Clock.systemUTC());
    }

    CallWebhookAction(OutboundGuard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
        this.client = HttpClients.custom()
                .setDnsResolver(host -> this.guard.resolve(host)) // the only lookup: no second, unchecked one
                .disableRedirectHandling()
                .disableAutomaticRetries() // the engine retries, with backoff and the same idempotency key
                .disableCookieManagement()
                .setUserAgent("DooneFlow")
                .setMaxConnTotal(256).setMaxConnPerRoute(32) // many workflows often call one endpoint
                .build();
    }

    @Modified
    void modified(Config config) {
        guard = OutboundGuard.configured(config.outboundAllowlist());
    }

    @Deactivate
    void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /** The whole exchange is bounded by {@code timeoutSeconds} (see execute): a little more for the rest. */
    @Override
    public Duration timeout(Map<String, Object> params) {
        try {
            return Duration.ofSeconds(timeoutSeconds(params.get("timeoutSeconds")) + 5L);
        } catch (IllegalArgumentException e) {
            return ActionHandler.DEFAULT_TIMEOUT; // execute fails the step with the reason
        }
    }

    /**
     * What the descriptor cannot say: header names and values the request could not carry, and a secret that does
     * not decode. (The URL's shape, the timeout's range and the secret's prefix are the descriptor's.)
     */
    @Override
    public List<FieldError> validate(String organizationId, Map<String, Object> params) {
        List<FieldError> errors = new ArrayList<>();
        if (params.get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> {
                String problem = headerProblem(String.valueOf(name), value);
                if (problem != null) {
                    errors.add(new FieldError("headers", problem));
                }
            });
        }
        if (params.get("signingSecret") instanceof String secret && !secret.isBlank()
                && !StandardWebhooks.isValidSecret(secret)) {
            errors.add(new FieldError("signingSecret", "is not a valid whsec_ secret: the part after whsec_ must be "
                    + "Base64 of at least one byte"));
        }
        return errors;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        Map<String, Object> p = ctx.params();
        HttpUriRequest request;
        int timeoutSeconds;
        try {
            Object url = p.get("url");
            if (url == null || url.toString().isBlank()) {
                return ActionResult.fail("url is required");
            }
            URI uri = OutboundGuard.checkUrl(url.toString());
            timeoutSeconds = timeoutSeconds(p.get("timeoutSeconds"));
            request = build(ctx, uri, timeoutSeconds);
        } catch (IllegalArgumentException e) {
            return ActionResult.fail(e.getMessage());
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        // Socket timeouts bound each read; this bounds the whole exchange (a server dripping bytes).
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            timedOut.set(true);
            request.abort();
        }, timeoutSeconds, TimeUnit.SECONDS);
        AtomicBoolean stopped = new AtomicBoolean();
        ctx.onStop(() -> { // cancelled: a blocking read does not see the thread's interrupt
            stopped.set(true);
            request.abort();
        });
        try (CloseableHttpResponse response = client.execute(request)) {
            return answer(response);
        } catch (OutboundGuard.RefusedAddressException e) {
            return ActionResult.fail(e.getMessage());
        } catch (IOException e) {
            if (stopped.get()) {
                return ActionResult.retry("the call to " + request.getURI().getHost() + " was stopped before an "
                        + "answer came (the execution was cancelled or ran out of time)", null);
            }
            if (timedOut.get() || e instanceof InterruptedIOException) { // our deadline, or a connect/read timeout
                return ActionResult.retry("no complete answer from " + request.getURI().getHost() + " within "
                        + timeoutSeconds + " s", null);
            }
            return failure(request.getURI().getHost(), e);
        } finally {
            deadline.cancel(false);
        }
    }

    private HttpUriRequest build(ActionContext ctx, URI uri, int timeoutSeconds) {
        Map<String, Object> p = ctx.params();
        String method = p.get("method") == null ? "POST" : p.get("method").toString().trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ", not '" + p.get("method") + "'");
        }
        int millis = timeoutSeconds * 1000;
        RequestBuilder rb = RequestBuilder.create(method).setUri(uri).setConfig(RequestConfig.custom()
                .setConnectTimeout(millis).setSocketTimeout(millis).setConnectionRequestTimeout(millis)
                .setRedirectsEnabled(false).build());
        Object headers = p.get("headers");
        if (headers instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                if (value != null) {
                    rb.setHeader(header(name.toString(), value.toString()), value.toString());
                }
            });
        } else if (headers != null && !headers.toString().isBlank()) {
            throw new IllegalArgumentException("headers must be an object of header names to values");
        }
        byte[] body = null;
        Object payload = p.get("payload");
        if (payload != null && !(payload instanceof String s && s.isBlank())) {
            try {
                body = Json.MAPPER.writeValueAsBytes(payload);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("payload cannot be written as JSON: " + e.getOriginalMessage());
            }
            // JSON is UTF-8 by definition (RFC 8259): no charset parameter.
            rb.setEntity(new ByteArrayEntity(body, ContentType.create("application/json")));
        }
        String key = ctx.idempotencyKey();
        rb.setHeader("Idempotency-Key", key);
        rb.setHeader("User-Agent", "DooneFlow");
        Object secret = p.get("signingSecret");
        if (secret != null && !secret.toString().isBlank()) {
            long timestamp = clock.instant().getEpochSecond();
            rb.setHeader(StandardWebhooks.ID, key);
            rb.setHeader(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
            try {
                rb.setHeader(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(secret.toString(), key, timestamp,
                        body == null ? new byte[0] : body));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("signingSecret is not a valid whsec_ secret");
            }
        }
        return rb.build();
    }

    /** A header a workflow may set: a valid name, not ours, a value without line breaks (no header injection). */
    private static String header(String name, String value) {
        String problem = headerProblem(name, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    /** Why a header cannot be sent as given, or null; the same rule at save time and, after rendering, at run time. */
    private static String headerProblem(String name, Object value) {
        if (!TOKEN.matcher(name).matches()) {
            return "'" + name + "' is not a valid header name";
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            return "the header " + name + " is set by DooneFlow itself";
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            return "the value of header " + name + " must be text, a number or true/false";
        }
        String text = String.valueOf(value);
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            return "the value of header " + name + " contains a line break";
        }
        return null;
    }

    private static int timeoutSeconds(Object value) {
        if (value == null || value.toString().isBlank()) {
            return 15;
        }
        int seconds;
        try {
            seconds = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeoutSeconds must be a whole number, not '" + value + "'");
        }
        if (seconds < 1 || seconds > 120) {
            throw new IllegalArgumentException("timeoutSeconds must be between 1 and 120, not " + seconds);
        }
        return seconds;
    }

    private ActionResult answer(CloseableHttpResponse response) throws IOException {
        int status = response.getStatusLine().getStatusCode();
        String body = read(response.getEntity());
        if (status >= 200 && status < 300) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("status", status);
            outputs.put("body", body.length() > BODY_CHARS ? body.substring(0, BODY_CHARS) : body);
            outputs.put("bodyTruncated", body.length() > BODY_CHARS);
            Object json = parseJson(body);
            if (json != null) {
                outputs.put("body_json", json);
            }
            return ActionResult.ok(outputs);
        }
        if (status >= 300 && status < 400) {
            Header location = response.getFirstHeader("Location");
            return ActionResult.fail(location == null
                    ? "the endpoint answered " + status + "; redirects are not followed"
                    : "the endpoint redirected to " + location.getValue() + "; redirects are not followed",
                    Map.of("status", status));
        }
        String excerpt = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            Header retryAfter = response.getFirstHeader("Retry-After");
            return new ActionResult.Retry("the endpoint answered " + status,
                    RetryAfter.parse(retryAfter == null ? null : retryAfter.getValue(), clock.instant()),
                    Map.of("status", status, "body", excerpt));
        }
        return ActionResult.fail("the endpoint answered " + status + (excerpt.isBlank() ? "" : ": " + excerpt),
                Map.of("status", status, "body", excerpt));
    }

    /** Network trouble: retried, except what retrying cannot fix (TLS identity, protocol misuse). */
    private static ActionResult failure(String host, IOException e) {
        if (e instanceof SSLPeerUnverifiedException || e instanceof SSLHandshakeException) {
            return ActionResult.fail("TLS with " + host + " failed: " + e.getMessage());
        }
        if (e instanceof ClientProtocolException) {
            return ActionResult.fail("the request to " + host + " could not be made: " + e.getMessage());
        }
        if (e instanceof UnknownHostException) {
            return ActionResult.retry("the host " + host + " cannot be resolved", null);
        }
        return ActionResult.retry("calling " + host + " failed: " + e, null);
    }

    /** The body as text, at most {@link #READ_LIMIT} bytes of it. */
    private static String read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        Charset charset = StandardCharsets.UTF_8;
        try {
            ContentType type = ContentType.get(entity);
            if (type != null && type.getCharset() != null) {
                charset = type.getCharset();
            }
        } catch (RuntimeException e) {
            // an unknown or malformed charset: read it as UTF-8
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readNBytes(READ_LIMIT), charset);
        }
    }

    private static Object parseJson(String body) {
        if (body.isBlank() || body.getBytes(StandardCharsets.UTF_8).length >= READ_LIMIT) {
            return null; // nothing there, or possibly cut off
        }
        try {
            // Within the receiver's limits, so a stored output can always be shown again.
            return RESPONSE_JSON.readValue(body, Object.class);
        } catch (IOException e) {
            return null; // not JSON, or over a limit: the text alone is kept
        }
    }
}
