package com.dooneflow.connector.webhook.internal;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.json.JsonLimits;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundResponse;
import com.dooneflow.api.outbound.OutboundTimeoutException;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code webhook.call} action: one HTTP request to an outside endpoint through the installation's
 * {@link OutboundHttp} (SSRF guard, no redirects, bounded answers). Every request carries the step's idempotency key.
 * 2xx is done, 408/425/429/5xx and network trouble are retried (honouring Retry-After), anything else fails the step.
 */
@Component(property = ActionHandler.TYPE + "=" + CallWebhookAction.TYPE)
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

    private final OutboundHttp http;
    private final Clock clock;

    @Activate
    public CallWebhookAction(@Reference OutboundHttp http) {
        this(http, Clock.systemUTC());
    }

    CallWebhookAction(OutboundHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
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

    /** The step's parameters, named and typed as in {@code webhook.call.json} (checked by the unit test). */
    record Params(String url, String method, Map<String, Object> headers, Object payload, Integer timeoutSeconds,
                  String signingSecret) {
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        OutboundRequest request;
        int timeoutSeconds;
        try {
            Params p = ctx.params(Params.class);
            if (p.url() == null || p.url().isBlank()) {
                return ActionResult.fail("url is required");
            }
            timeoutSeconds = timeoutSeconds(p.timeoutSeconds());
            request = build(p, ctx.idempotencyKey(), timeoutSeconds);
        } catch (IllegalArgumentException e) {
            return ActionResult.fail(e.getMessage());
        }
        String host = request.uri().getHost();
        OutboundHttp.Call call = http.newCall(request);
        AtomicBoolean stopped = new AtomicBoolean();
        ctx.onStop(() -> { // cancelled: a blocking read does not see the thread's interrupt
            stopped.set(true);
            call.cancel();
        });
        try {
            return answer(call.execute());
        } catch (OutboundGuard.RefusedAddressException e) {
            return ActionResult.fail(e.getMessage());
        } catch (IOException e) {
            if (stopped.get()) {
                return ActionResult.retry("the call to " + host + " was stopped before an answer came (the execution"
                        + " was cancelled or ran out of time)", null);
            }
            if (e instanceof OutboundTimeoutException) {
                return ActionResult.retry("no complete answer from " + host + " within " + timeoutSeconds + " s", null);
            }
            return failure(host, e);
        }
    }

    private OutboundRequest build(Params p, String key, int timeoutSeconds) {
        String method = p.method() == null ? "POST" : p.method().trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ", not '" + p.method() + "'");
        }
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        OutboundRequest.Builder rb = OutboundRequest.builder(method, p.url()).timeout(timeout).connectTimeout(timeout)
                .maxResponseBytes(READ_LIMIT);
        if (p.headers() != null) {
            p.headers().forEach((name, value) -> {
                if (value != null) {
                    rb.header(header(name, value.toString()), value.toString());
                }
            });
        }
        byte[] body = null;
        Object payload = p.payload();
        if (payload != null && !(payload instanceof String s && s.isBlank())) {
            try {
                body = Json.MAPPER.writeValueAsBytes(payload);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("payload cannot be written as JSON: " + e.getOriginalMessage());
            }
            // JSON is UTF-8 by definition (RFC 8259): no charset parameter.
            rb.body(body, "application/json");
        }
        rb.header("Idempotency-Key", key);
        rb.header("User-Agent", "DooneFlow");
        String secret = p.signingSecret();
        if (secret != null && !secret.isBlank()) {
            long timestamp = clock.instant().getEpochSecond();
            rb.header(StandardWebhooks.ID, key);
            rb.header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp));
            try {
                rb.header(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(secret, key, timestamp,
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

    private ActionResult answer(OutboundResponse response) {
        int status = response.status();
        String body = response.text();
        if (response.successful()) {
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("status", status);
            outputs.put("body", body.length() > BODY_CHARS ? body.substring(0, BODY_CHARS) : body);
            outputs.put("bodyTruncated", body.length() > BODY_CHARS);
            Object json = response.truncated() ? null : parseJson(body); // a cut-off body is no JSON
            if (json != null) {
                outputs.put("body_json", json);
            }
            return ActionResult.ok(outputs);
        }
        if (status >= 300 && status < 400) {
            String location = response.header("Location");
            return ActionResult.fail(location == null
                    ? "the endpoint answered " + status + "; redirects are not followed"
                    : "the endpoint redirected to " + location + "; redirects are not followed",
                    Map.of("status", status));
        }
        String excerpt = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new ActionResult.Retry("the endpoint answered " + status, response.retryAfter(clock.instant()),
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
        if (e instanceof ProtocolException) {
            return ActionResult.fail("the request to " + host + " could not be made: " + e.getMessage());
        }
        if (e instanceof UnknownHostException) {
            return ActionResult.retry("the host " + host + " cannot be resolved", null);
        }
        return ActionResult.retry("calling " + host + " failed: " + e, null);
    }

    private static Object parseJson(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            // Within the receiver's limits, so a stored output can always be shown again.
            return RESPONSE_JSON.readValue(body, Object.class);
        } catch (IOException e) {
            return null; // not JSON, or over a limit: the text alone is kept
        }
    }
}
