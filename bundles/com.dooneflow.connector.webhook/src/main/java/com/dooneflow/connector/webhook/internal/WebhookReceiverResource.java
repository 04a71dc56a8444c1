package com.dooneflow.connector.webhook.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import javax.annotation.security.PermitAll;
import javax.ws.rs.BeanParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.SessionService;
import com.dooneflow.api.TriggerSecrets;
import com.dooneflow.api.json.JsonLimits;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.security.AuthFailureLimiter;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The public webhook receiver, served by {@link WebhookServlet} (its JAX-RS annotations describe the contract). {@code POST /webhook/{path}} authenticates the caller as the workflow's trigger
 * says, turns the body into trigger data and answers 202 only after the engine's sink committed it.
 * {@code POST /webhook-test/{path}} does the same without dedupe and waits for the run, for people setting a
 * workflow up: it answers with the executions' data, so it needs an API token of a member of the workflow's
 * organization (then the workflow's key or signature is not asked for: the member is authenticated already).
 * Only POST is declared, so other methods get JAX-RS's 405 (a problem through the core's mapper).
 * <p>
 * A wrong key, signature or token is counted per client address and per webhook path; over
 * {@code authFailuresPerMinute} it is answered 429 with {@code Retry-After} instead of 401. Credentials are still
 * checked first, so the right ones always pass. Each address's first failure of a minute and each limit that
 * trips are logged to {@code dooneflow.security} (never the secret), and a path whose limit trips is reported on
 * its organization's Events page.
 */
@Component(service = WebhookReceiverResource.class, configurationPid = WebhookReceiverResource.PID)
@Designate(ocd = WebhookReceiverResource.Config.class)
@Path("{kind: webhook|webhook-test}")
public class WebhookReceiverResource {

    static final String PID = "com.dooneflow.connector.webhook";
    static final Duration TEST_WAIT = Duration.ofSeconds(30);
    /** Keys kept per failure counter: about a megabyte each at most. */
    static final int MAX_KEYS = 10_000;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiverResource.class);

    /** Bodies over a limit are refused (413 for the size, 400 for the others) before anything is stored. */
    @ObjectClassDefinition(name = "DooneFlow webhook receiver")
    public @interface Config {
        @AttributeDefinition(description = "Largest accepted webhook body, in bytes")
        int maxBodyBytes() default JsonLimits.MAX_BODY_BYTES;

        @AttributeDefinition(description = "Deepest nesting of arrays and objects in a JSON body")
        int maxNestingDepth() default JsonLimits.MAX_NESTING_DEPTH;

        @AttributeDefinition(description = "Longest string value in a body, in characters")
        int maxStringLength() default JsonLimits.MAX_STRING_LENGTH;

        @AttributeDefinition(description = "Longest field name in a body, in characters")
        int maxNameLength() default JsonLimits.MAX_NAME_LENGTH;

        @AttributeDefinition(description = "Longest number in a JSON body, in digits")
        int maxNumberLength() default JsonLimits.MAX_NUMBER_LENGTH;

        @AttributeDefinition(description = "Failed authentications (wrong webhook key or signature, wrong API token "
                + "on /webhook-test) per minute, per client address and per webhook path, after which further "
                + "failures are answered 429; 0 turns the limit off")
        int authFailuresPerMinute() default 20;
    }

    private final WebhookTrigger trigger;
    private final TriggerSecrets secrets;
    private final AccessService access;
    private final OrganizationService organizations;
    private final EventLog events;
    private final JsonLimits limits;
    /** {@link Json#MAPPER} held to {@link #limits}. */
    private final ObjectMapper mapper;
    private final Clock clock;
    final AuthFailureLimiter byAddress;
    final AuthFailureLimiter byPath;
    private final Consumer<String> securityLog;
    /** The console's sessions, for test runs from the console; null in tests of tokens alone. */
    SessionService sessions;
    /** Where tripped limits are recorded for the organization's and the installation's audit log; null in tests. */
    AuditLog audit;

    @Activate
    public WebhookReceiverResource(@Reference WebhookTrigger trigger, @Reference TriggerSecrets secrets,
                                   @Reference AccessService access, @Reference OrganizationService organizations,
                                   @Reference EventLog events, @Reference SessionService sessions,
                                   @Reference AuditLog audit, Config config) {
        this(trigger, secrets, access, organizations, events, new JsonLimits(config.maxBodyBytes(),
                config.maxNestingDepth(), config.maxStringLength(), config.maxNameLength(), config.maxNumberLength()),
                config.authFailuresPerMinute(),
                Clock.systemUTC(), LoggerFactory.getLogger("dooneflow.security")::warn);
        this.sessions = sessions;
        this.audit = audit;
    }

    WebhookReceiverResource(WebhookTrigger trigger, TriggerSecrets secrets, AccessService access,
                            OrganizationService organizations, EventLog events, int maxBodyBytes,
                            int failuresPerMinute, Clock clock, Consumer<String> securityLog) {
        this(trigger, secrets, access, organizations, events, JsonLimits.DEFAULTS.withMaxBodyBytes(maxBodyBytes),
                failuresPerMinute,
                clock, securityLog);
    }

    WebhookReceiverResource(WebhookTrigger trigger, TriggerSecrets secrets, AccessService access,
                            OrganizationService organizations, EventLog events, JsonLimits limits,
                            int failuresPerMinute, Clock clock, Consumer<String> securityLog) {
        this.trigger = trigger;
        this.secrets = secrets;
        this.access = access;
        this.organizations = organizations;
        this.events = events;
        this.limits = limits;
        this.mapper = limits.applyTo(Json.MAPPER);
        this.clock = clock;
        int limit = Math.max(0, failuresPerMinute);
        this.byAddress = new AuthFailureLimiter(limit, Duration.ofMinutes(1), MAX_KEYS, clock);
        this.byPath = new AuthFailureLimiter(limit, Duration.ofMinutes(1), MAX_KEYS, clock);
        this.securityLog = securityLog;
    }

    @POST
    @PermitAll
    @Path("{path: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@PathParam("kind") String kind, @PathParam("path") String path,
                            @BeanParam WebhookHeaders headers, InputStream body) {
        boolean testing = "webhook-test".equals(kind);
        try {
            return testing ? test(path, headers, body) : deliver(path, headers, body);
        } catch (WrongCredential w) {
            return failed(kind, w.binding, headers.clientAddress, w.response);
        } catch (Rejected r) {
            LOG.debug("Webhook request on /{}/{} rejected: {}", kind, path, r.getMessage());
            return r.response;
        } catch (OutcomeUnknownException e) {
            LOG.warn("Webhook on /{}/{} may or may not have been committed: {}", kind, path, e.getMessage());
            return Problems.response(503, "outcome-unknown", "Outcome unknown", testing
                    ? "The database failed while committing this webhook: it may or may not run. Look on the "
                            + "Events page before sending it again."
                    : "The database failed while committing this webhook: whether it was accepted is unknown. "
                            + "Send it again with the same webhook-id or Idempotency-Key header and it will not "
                            + "run twice.");
        } catch (RuntimeException e) {
            // Nothing was committed: the sink commits or throws, and nothing after it fails.
            if (fromTheDatabase(e)) {
                LOG.warn("Webhook on /{}/{} could not be accepted: {}", kind, path, e.getMessage());
            } else {
                LOG.error("Webhook on /{}/{} could not be accepted", kind, path, e);
            }
            return Problems.response(503, "unavailable", "Service unavailable",
                    "The webhook could not be stored just now; nothing was accepted. Send it again.");
        }
    }

    /** A database outage is expected now and then: one log line, not a stack trace per request. */
    private static boolean fromTheDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /** {@code POST /webhook/{path}}: 202 with the executions once committed; a replayed message id is acknowledged. */
    private Response deliver(String path, WebhookHeaders headers, InputStream body) {
        WebhookTrigger.Route route = trigger.route(path).orElseThrow(() -> new Rejected(notFound()));
        Delivery d = admit(route, headers, body, true);
        TriggerSink.Acceptance a = commit(d);
        if (a.stale()) {
            // The workflow changed (perhaps on another node) since its binding was cached: the caller was checked
            // against an old trigger, maybe a weaker one. Check again against the stored one; nothing was committed.
            trigger.bindingsChanged();
            route = trigger.route(path).orElseThrow(() -> new Rejected(notFound()));
            d = admit(route, headers, new ByteArrayInputStream(d.body), true);
            a = commit(d);
            if (a.stale()) {
                // Changed once more meanwhile: rare enough that the caller may simply send again.
                return Response.fromResponse(Problems.response(503, "workflow-changing", "Service unavailable",
                        "The workflow is being changed; nothing was accepted. Send it again.")).header(
                        HttpHeaders.RETRY_AFTER, 1).build();
            }
        }
        if (a.executionIds().isEmpty() && !a.duplicate()) {
            return notFound(); // disabled or deleted since the routes were cached
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("executionIds", a.executionIds());
        if (a.duplicate()) {
            answer.put("duplicate", true);
        }
        return Response.status(Response.Status.ACCEPTED).type(MediaType.APPLICATION_JSON).entity(answer).build();
    }

    /** Hands the delivery to the engine, which commits it only if the workflow is still the version it was checked by. */
    private static TriggerSink.Acceptance commit(Delivery d) {
        TriggerBinding b = d.route.binding();
        return d.route.sink().accept(new TriggerEvent(b.organizationId(), WebhookTrigger.TYPE, List.of(b.workflowId()),
                d.dedupeKey, d.data, false, Map.of(b.workflowId(), b.workflowVersion())));
    }

    /**
     * {@code POST /webhook-test/{path}}: for a member of the workflow's organization, runs the workflow (no dedupe)
     * and answers with the finished executions. The token is checked before the path, and a workflow of another
     * organization is 404 like an unknown path, so nobody learns which paths exist.
     */
    private Response test(String path, WebhookHeaders headers, InputStream body) {
        String auth = headers.authorization;
        if (auth == null && headers.session != null && sessions != null) {
            return test(path, headers, body, signedInBySession(headers));
        }
        if (auth == null) {
            throw new Rejected(bearerUnauthorized("Send 'Authorization: Bearer <token>' with an API token of a member "
                    + "of the workflow's organization."));
        }
        String token = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        Optional<Principal> caller = token == null ? Optional.empty() : access.authenticate(token);
        Optional<WebhookTrigger.Route> found = trigger.route(path);
        if (caller.isEmpty()) {
            throw new WrongCredential(found.map(WebhookTrigger.Route::binding).orElse(null),
                    bearerUnauthorized("The token is unknown or revoked."));
        }
        return test(path, headers, body, caller.get());
    }

    /**
     * The console's signed-in person: the session must be live and, as for any request of the session that changes
     * something, the session's CSRF token must come with it.
     */
    private Principal signedInBySession(WebhookHeaders headers) {
        SessionService.ActiveSession session = sessions.authenticate(headers.session)
                .orElseThrow(() -> new Rejected(bearerUnauthorized("Your session has ended: sign in again.")));
        String sent = headers.csrfToken;
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw new Rejected(Problems.response(403, "csrf", "Forbidden", "A test run made with the console's "
                    + "session must send the session's CSRF token in " + WebhookHeaders.CSRF_TOKEN + "."));
        }
        return session.principal();
    }

    private Response test(String path, WebhookHeaders headers, InputStream body, Principal member) {
        Optional<WebhookTrigger.Route> found = trigger.route(path);
        WebhookTrigger.Route route = found.orElseThrow(() -> new Rejected(notFound()));
        try {
            organizations.requireRole(member, route.binding().organizationId(), false);
        } catch (NotFoundException | ForbiddenException notAMember) {
            throw new Rejected(notFound());
        }
        Delivery d = admit(route, headers, body, false);
        TriggerBinding b = d.route.binding();
        TriggerSink sink = d.route.sink();
        TriggerSink.Acceptance a = sink.accept(new TriggerEvent(b.organizationId(), WebhookTrigger.TYPE,
                List.of(b.workflowId()), null, d.data, true)); // a test run, marked as such on Events
        if (a.executionIds().isEmpty()) {
            return notFound();
        }
        List<Map<String, Object>> executions = new ArrayList<>();
        for (String id : a.executionIds()) {
            executions.add(awaited(sink, id));
        }
        return Response.ok(Map.of("executions", executions), MediaType.APPLICATION_JSON).build();
    }

    /** The finished execution. It was committed, so failing to read it is no 503: a resend would run it again. */
    private static Map<String, Object> awaited(TriggerSink sink, String id) {
        try {
            return sink.awaitExecution(id, TEST_WAIT).orElseGet(() -> Map.of("id", id,
                    "detail", "still running after " + TEST_WAIT.toSeconds() + " s; see the Events page"));
        } catch (RuntimeException e) {
            LOG.warn("Test webhook execution {} could not be read: {}", id, e.getMessage());
            return Map.of("id", id,
                    "detail", "accepted, but its state could not be read just now; see the Events page");
        }
    }

    /** {@code body} as received, to check it again should the route prove stale. */
    private record Delivery(WebhookTrigger.Route route, String dedupeKey, Map<String, Object> data, byte[] body) {
    }

    /** Content type, the trigger's authentication (unless the caller is a member), body: in that order. */
    private Delivery admit(WebhookTrigger.Route route, WebhookHeaders headers, InputStream in, boolean authenticate) {
        String mediaType = baseType(headers.contentType);
        boolean json = mediaType.equals(MediaType.APPLICATION_JSON) || mediaType.endsWith("+json");
        if (!json && !mediaType.equals(FORM)) {
            throw new Rejected(Problems.response(415, "unsupported-media-type", "Unsupported Media Type",
                    "Send the body as application/json or application/x-www-form-urlencoded."));
        }
        Charset charset = charset(headers.contentType);
        TriggerBinding b = route.binding();
        String auth = authenticate ? route.authentication() : WebhookTrigger.AUTH_NONE;
        if (auth.equals(WebhookTrigger.AUTH_KEY)) {
            checkKey(b, headers.key); // before reading the body: strangers cost us nothing more
        } else if (!auth.equals(WebhookTrigger.AUTH_NONE) && !auth.equals(WebhookTrigger.AUTH_STANDARD)) {
            throw unauthorized("The webhook's authentication '" + auth + "' is not supported.");
        }
        byte[] body = readLimited(in);
        if (auth.equals(WebhookTrigger.AUTH_STANDARD)) {
            // Without a signature nothing was guessed; with one, every refusal counts as a failure.
            boolean signed = headers.webhookSignature != null && !headers.webhookSignature.isBlank();
            // The current secret, and during a rotation's grace period the one it replaced.
            List<String> accepted = secrets.accepted(b.organizationId(), b.workflowId(),
                    WorkflowSecrets.SIGNING_SECRET);
            if (accepted.isEmpty()) {
                throw refused(b, signed, "This webhook has no signing secret yet.");
            }
            String why = null;
            for (String secret : accepted) {
                why = StandardWebhooks.verify(secret, headers.webhookId, headers.webhookTimestamp,
                        headers.webhookSignature, body, clock.instant());
                if (why == null) {
                    break;
                }
            }
            if (why != null) {
                throw refused(b, signed, why);
            }
        }
        // The signed webhook-id when the signature covers it; else the sender's Idempotency-Key or webhook-id.
        String messageId = auth.equals(WebhookTrigger.AUTH_STANDARD) ? headers.webhookId : messageId(headers);
        // Scoped to the workflow: two senders may well pick the same message id.
        String dedupeKey = messageId == null ? null : b.workflowId() + ":" + messageId;
        return new Delivery(route, dedupeKey, json ? jsonData(body) : formData(new String(body, charset), charset),
                body);
    }

    /** Idempotency-Key (a quoted structured-field string or a bare token), else webhook-id; null if neither. */
    private static String messageId(WebhookHeaders h) {
        String key = h.idempotencyKey == null ? "" : h.idempotencyKey.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (!key.isEmpty()) {
            return key;
        }
        return h.webhookId == null || h.webhookId.isBlank() ? null : h.webhookId.trim();
    }

    private void checkKey(TriggerBinding b, String given) {
        if (given == null || given.isEmpty()) {
            throw unauthorized("Send the webhook's key in the X-Webhook-Key header.");
        }
        // The current key, and during a rotation's grace period the one it replaced. Each is compared in constant
        // time and all of them always are, so the key cannot be guessed byte by byte from response times.
        byte[] sent = given.getBytes(StandardCharsets.UTF_8);
        boolean matches = false;
        for (String expected : secrets.accepted(b.organizationId(), b.workflowId(), WorkflowSecrets.WEBHOOK_KEY)) {
            matches |= MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent);
        }
        if (!matches) {
            throw refused(b, true, "The X-Webhook-Key is not this webhook's key.");
        }
    }

    private byte[] readLimited(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (in == null) {
            return out.toByteArray();
        }
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > limits.maxBodyBytes()) {
                    throw new Rejected(Problems.response(413, "body-too-large", "Request body too large",
                            "The body is larger than " + limits.maxBodyBytes() + " bytes (limit maxBodyBytes)."));
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw invalid("The body could not be read.");
        }
        return out.toByteArray();
    }

    /**
     * A JSON object gives its fields; any other JSON value is {@code {"body": value}}; no body (or only whitespace)
     * gives no data. One pass of the parser straight to maps and lists, the data's own form.
     */
    private Map<String, Object> jsonData(byte[] body) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (isBlank(body)) {
            return data;
        }
        try {
            Object value = mapper.readValue(body, Object.class);
            if (value instanceof Map<?, ?> fields) {
                fields.forEach((name, field) -> data.put((String) name, field));
            } else {
                data.put("body", value);
            }
            return data;
        } catch (JsonProcessingException e) {
            StreamConstraintsException over = overLimit(e);
            if (over != null) {
                throw invalid("The body " + limits.overLimit(over) + ".");
            }
            JsonLocation at = e.getLocation();
            throw invalid("The body is not valid JSON" + (at == null ? "." : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")."));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The limit a parse failure is over, if that is why it failed (databind may wrap it). */
    private static StreamConstraintsException overLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException s) {
                return s;
            }
        }
        return null;
    }

    /** Form fields by name; a name given more than once becomes a list of its values. */
    private Map<String, Object> formData(String body, Charset charset) {
        Map<String, Object> data = new LinkedHashMap<>();
        try {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
                String over = limits.overLimit(name, value);
                if (over != null) {
                    throw invalid("The body " + over + ".");
                }
                data.merge(name, value, (old, v) -> {
                    @SuppressWarnings("unchecked")
                    List<Object> list = old instanceof List<?> l ? (List<Object>) l : new ArrayList<>(List.of(old));
                    list.add(v);
                    return list;
                });
            }
        } catch (IllegalArgumentException e) {
            throw invalid("The form body has a malformed %-escape.");
        }
        return data;
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static Charset charset(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException e) {
                    throw new Rejected(Problems.response(415, "unsupported-media-type", "Unsupported Media Type",
                            "The charset " + p.substring(8) + " is not supported."));
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static Response notFound() {
        return Problems.response(404, "not-found", "Not found", "No enabled workflow listens on this webhook path.");
    }

    private static Rejected invalid(String detail) {
        return new Rejected(Problems.response(400, "invalid-request", "Invalid request", detail));
    }

    private static Rejected unauthorized(String detail) {
        return new Rejected(Problems.response(401, "unauthorized", "Unauthorized", detail));
    }

    /** A 401 that counts as a failed authentication when a credential was given ({@code guessed}). */
    private static Rejected refused(TriggerBinding b, boolean guessed, String detail) {
        Response r = Problems.response(401, "unauthorized", "Unauthorized", detail);
        return guessed ? new WrongCredential(b, r) : new Rejected(r);
    }

    private static Response bearerUnauthorized(String detail) {
        return Response.fromResponse(Problems.response(401, "unauthorized", "Unauthorized", detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dooneflow\"").build();
    }

    /**
     * Counts a wrong credential per client address and, when the path is a workflow's, per path: {@code refusal}
     * (401), or 429 once either is over the limit. Logs each address's first failure of its minute and each limit
     * that trips; a path's tripped limit goes to its organization's Events page too.
     */
    private Response failed(String kind, TriggerBinding binding, String remote, Response refusal) {
        String address = remote == null ? "an unknown address" : remote.replaceAll("[^0-9A-Za-z:.%\\[\\]_-]", "?");
        String path = binding == null ? null : String.valueOf(binding.params().get("path"));
        String where = path == null ? "on /" + kind + "/ (a path no workflow has)" : "on /" + kind + "/" + path;
        AuthFailureLimiter.Verdict perAddress = byAddress.fail(AuthFailureLimiter.addressKey(remote));
        AuthFailureLimiter.Verdict perPath = path == null ? null : byPath.fail(WebhookTrigger.routingKey(path));
        if (perAddress.first()) {
            securityLog.accept("Failed webhook authentication from " + address + " " + where
                    + "; further failures from this address are not logged one by one this minute");
        }
        if (perAddress.tripped()) {
            securityLog.accept("Too many failed webhook authentications from " + address + ": "
                    + perAddress.failures() + " in a minute, the last " + where + "; they are answered 429 for "
                    + perAddress.retryAfterSeconds() + " s");
            audit(AuditEntry.of(null, null, remote, "webhook", null, "rate-limited", perAddress.failures()
                    + " failed webhook authentications from this address in a minute; answered 429 for "
                    + perAddress.retryAfterSeconds() + " s"));
        }
        if (perPath != null && perPath.tripped()) {
            securityLog.accept("Too many failed webhook authentications " + where + ": " + perPath.failures()
                    + " in a minute, the last from " + address + "; they are answered 429 for "
                    + perPath.retryAfterSeconds() + " s");
            report(binding, path, address, perPath);
        }
        long retryAfter = Math.max(perAddress.limited() ? perAddress.retryAfterSeconds() : 0,
                perPath != null && perPath.limited() ? perPath.retryAfterSeconds() : 0);
        if (retryAfter == 0) {
            return refusal;
        }
        return Response.fromResponse(Problems.response(429, "too-many-failed-authentications", "Too Many Requests",
                        "Too many failed authentications from this address or on this webhook; wait " + retryAfter
                                + " s. The right key, signature or token is still accepted."))
                .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
    }

    /** Tells the path's owners, once per tripped minute, that someone is guessing its credentials. */
    private void report(TriggerBinding b, String path, String address, AuthFailureLimiter.Verdict v) {
        try {
            events.record(b.organizationId(), Event.Level.WARN, WebhookTrigger.TYPE, "Webhook path '" + path
                    + "' refused " + v.failures() + " wrong keys, signatures or tokens within a minute, the last "
                    + "from " + address + ". For the next " + v.retryAfterSeconds() + " s further wrong ones are "
                    + "answered 429; callers with the right credentials are not affected. Either a sender still "
                    + "uses an old key or secret, or someone is guessing.", Map.of("workflowId", b.workflowId(),
                    "path", path, "address", address, "failures", v.failures()));
        } catch (RuntimeException e) {
            LOG.warn("Could not record the failed authentications on webhook path {}", path, e);
        }
        audit(AuditEntry.of(b.organizationId(), null, address, "workflow", b.workflowId(), "rate-limited",
                v.failures() + " wrong keys, signatures or tokens on webhook path '" + path
                        + "' in a minute; answered 429 for " + v.retryAfterSeconds() + " s"));
    }

    private void audit(AuditEntry entry) {
        if (audit == null) {
            return;
        }
        try {
            audit.record(entry);
        } catch (RuntimeException e) {
            LOG.warn("The audit log could not record a tripped webhook limit: {}", e.toString());
        }
    }

    /** An early answer; thrown to keep the happy path of {@link #admit} straight. */
    private static class Rejected extends RuntimeException {
        final transient Response response;

        Rejected(Response response) {
            super(String.valueOf(response.getEntity()), null, false, false);
            this.response = response;
        }
    }

    /** A credential was given and is wrong: counted (see {@link #failed}). {@code binding} null: no such path. */
    private static final class WrongCredential extends Rejected {
        final transient TriggerBinding binding;

        WrongCredential(TriggerBinding binding, Response response) {
            super(response);
            this.binding = binding;
        }
    }
}
