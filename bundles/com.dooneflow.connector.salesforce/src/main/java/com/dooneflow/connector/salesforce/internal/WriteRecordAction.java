package com.dooneflow.connector.salesforce.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundTimeoutException;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.SideEffectNote;
import com.dooneflow.api.spi.SideEffectNote.State;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.OutputDescriptor.Type;
import com.dooneflow.api.spi.RetryAfter;
import com.dooneflow.api.spi.StepJournal;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The {@code salesforce.record.write} action: creates, updates or upserts one record through the REST API of the
 * named connection, or calls an Apex REST endpoint. An expired session is refreshed and the call retried once;
 * busy/overloaded answers and network trouble are retried by the engine; data errors fail the step with
 * Salesforce's message and fields.
 *
 * <p>Writes are journalled ({@link StepJournal}): "sending" is committed before the request and the result after
 * it. An attempt that finds the result returns it without writing again (the node died before the engine recorded
 * the step); one that finds an unfinished create fails as "outcome unknown" rather than perhaps creating the record
 * twice. Updates and upserts are idempotent and simply go again.
 */
@Component(property = ActionHandler.TYPE + "=" + WriteRecordAction.TYPE)
public class WriteRecordAction implements ActionHandler {

    public static final String TYPE = "salesforce.record.write";
    /** The parameter naming the connection to write through. */
    static final String CONNECTION = "connection";
    /** The REST API version every call uses. */
    static final String API_VERSION = "v60.0";
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}");
    private static final Pattern APEX_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    /** A payload that is one {variable}: rendered as that variable's JSON value, which may be an object. */
    private static final Pattern WHOLE_VARIABLE = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_.]*\\}");
    private static final String DOT_EXTERNAL_ID = "cannot be '.' or '..'";

    /** The step note that records a write's progress. */
    static final String WRITE_NOTE = "salesforce.write";
    private static final Logger LOG = LoggerFactory.getLogger(WriteRecordAction.class);

    private final SalesforceConnections connections;
    private final StepJournal journal;
    private final Clock clock;

    @Activate
    public WriteRecordAction(@Reference SalesforceConnections connections, @Reference StepJournal journal) {
        this(connections, journal, Clock.systemUTC());
    }

    WriteRecordAction(SalesforceConnections connections, StepJournal journal, Clock clock) {
        this.connections = connections;
        this.journal = journal;
        this.clock = clock;
    }

    /** The request to make, before a connection is involved. */
    private record Call(String method, String path, Object payload, String operation, String recordId) {
    }

    /**
     * What each endpoint type and operation needs, as {@link #call} will demand it once the variables are filled
     * in; a templated value is left to run time. (Id and field name patterns are the descriptor's.)
     */
    @Override
    public List<FieldError> validate(String organizationId, Map<String, Object> p) {
        List<FieldError> errors = new ArrayList<>();
        String object = text(p.get("object"));
        if ("apex".equals(p.get("endpointType"))) {
            String path = object.startsWith("/") ? object.substring(1) : object;
            if (!APEX_PATH.matcher(path).matches()) {
                errors.add(new FieldError("object", "must be an Apex REST path such as LeadIntake or v1/leads"));
            }
            return errors;
        }
        if (!API_NAME.matcher(object).matches()) {
            errors.add(new FieldError("object", "must be an object API name such as Lead or Invoice__c"));
        }
        Object payload = p.get("payload");
        if (payload == null || (payload instanceof String s && s.isBlank())) {
            errors.add(new FieldError("payload", "is required to write an object: its fields as a JSON object"));
        } else if (!(payload instanceof Map<?, ?>)
                && !(payload instanceof String s && WHOLE_VARIABLE.matcher(s).matches())) {
            errors.add(new FieldError("payload", "must be a JSON object of field names to values (or one {variable} "
                    + "holding such an object)"));
        }
        Object operation = p.get("operation");
        if ("update".equals(operation) && text(p.get("recordId")).isEmpty()) {
            errors.add(new FieldError("recordId", "is required to update: the id of the record"));
        }
        if ("upsert".equals(operation)) {
            if (text(p.get("externalIdField")).isEmpty()) {
                errors.add(new FieldError("externalIdField", "is required to upsert: the API name of the external id"
                        + " field"));
            }
            String externalId = text(p.get("externalId"));
            if (externalId.isEmpty()) {
                errors.add(new FieldError("externalId", "is required to upsert: the value to match"));
            } else if (externalId.equals(".") || externalId.equals("..")) {
                errors.add(new FieldError("externalId", DOT_EXTERNAL_ID));
            }
        }
        return errors;
    }

    /** The step's parameters, named and typed as in {@code salesforce.record.write.json} (checked by the unit test). */
    record Params(String connection, String endpointType, String object, String operation, String recordId,
                  String externalIdField, String externalId, Object payload) {
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        Params p;
        Call call;
        try {
            p = ctx.params(Params.class);
            call = call(p);
        } catch (IllegalArgumentException e) {
            return ActionResult.fail(e.getMessage());
        }
        String name = text(p.connection());
        SideEffectNote note = SideEffectNote.of(journal, ctx, WRITE_NOTE, clock);
        Optional<SideEffectNote.Earlier> earlier = note.earlier();
        if (earlier.isPresent() && earlier.get().state() == State.DONE) {
            return ActionResult.ok(earlier.get().outputs()); // written, but the node died before the step was recorded
        }
        if (earlier.isPresent() && earlier.get().state() == State.SENDING && call.operation().equals("create")) {
            return ActionResult.fail("outcome unknown — not sent again: an earlier attempt (" + earlier.get().note()
                    .get("startedAt") + ") sent this create to Salesforce and stopped before the answer was recorded."
                    + " Check Salesforce for the record; upsert with an external id makes such retries safe.");
        }
        Optional<Connection> connection = connections.byName(ctx.organizationId(), name);
        if (connection.isEmpty()) {
            return ActionResult.fail("there is no Salesforce connection named '" + name + "' in this organization");
        }
        Optional<String> token = Connection.CONNECTED.equals(connection.get().status())
                ? connections.accessToken(connection.get()) : Optional.empty();
        if (token.isEmpty()) {
            return ActionResult.fail(TokenRefresher.reconnectMessage(connection.get(), "it is "
                    + connection.get().status().replace('_', ' ')));
        }
        TokenRefresher.Session session = new TokenRefresher.Session(connection.get(), token.get());
        Map<String, Object> sending = new LinkedHashMap<>();
        sending.put("connection", name);
        sending.put("method", call.method());
        sending.put("path", call.path());
        note.sending(sending);
        ActionResult result;
        try {
            result = exchange(session, call);
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            // A read timeout means Salesforce may have written: say so where the user looks.
            boolean uncertain = cause instanceof OutboundTimeoutException t && !t.connecting()
                    && call.operation().equals("create");
            result = ActionResult.retry("Salesforce could not be reached: " + cause.getMessage()
                    + (uncertain ? " (the record may have been created; upsert with an external id avoids"
                    + " duplicates)" : ""), null);
        } catch (RuntimeException e) {
            // Leaves "sending" in the journal on purpose: whether Salesforce wrote is not known.
            LOG.warn("Salesforce write of step {} of execution {} failed unexpectedly", ctx.stepIndex(),
                    ctx.executionId(), e);
            return ActionResult.fail("outcome unknown — the write failed unexpectedly (the server log has details)");
        }
        if (result instanceof ActionResult.Ok ok) {
            return note.done(ok.outputs());
        }
        note.end(result instanceof ActionResult.Retry ? State.RETRYING : State.REJECTED, Map.of("reason",
                result instanceof ActionResult.Retry r ? r.reason() : ((ActionResult.Fail) result).reason()));
        return result;
    }

    /** The call, refreshing the token and trying once more when Salesforce says the session expired. */
    private ActionResult exchange(TokenRefresher.Session session, Call call) throws IOException {
        SalesforceHttp.Reply reply = send(session, call);
        List<SalesforceErrors.SfError> errors = SalesforceErrors.parse(reply.body());
        if (SalesforceErrors.sessionExpired(reply.status(), errors)) {
            TokenRefresher.Refresh refreshed = connections.refresh(session.connection(), session.accessToken());
            if (refreshed instanceof TokenRefresher.Refresh.Reconnect r) {
                return ActionResult.fail(r.message());
            }
            if (refreshed instanceof TokenRefresher.Refresh.Refused r) {
                return ActionResult.fail(r.message());
            }
            reply = send(((TokenRefresher.Refresh.Token) refreshed).session(), call);
        }
        return answer(call, reply);
    }

    private static Call call(Params p) {
        if (text(p.connection()).isEmpty()) {
            throw new IllegalArgumentException("connection is required: the name of a Salesforce connection");
        }
        String endpointType = text(p.endpointType()).isEmpty() ? "object"
                : text(p.endpointType()).toLowerCase(Locale.ROOT);
        String operation = text(p.operation()).isEmpty() ? "create"
                : text(p.operation()).toLowerCase(Locale.ROOT);
        if (!List.of("create", "update", "upsert").contains(operation)) {
            throw new IllegalArgumentException("operation must be create, update or upsert, not '" + operation + "'");
        }
        String object = text(p.object());
        Object payload = p.payload();
        if (payload instanceof String s && s.isBlank()) {
            payload = null;
        }
        if (endpointType.equals("apex")) {
            String path = object.startsWith("/") ? object.substring(1) : object;
            if (!APEX_PATH.matcher(path).matches()) {
                throw new IllegalArgumentException("object must be an Apex REST path such as LeadIntake or"
                        + " v1/leads, not '" + object + "'");
            }
            String method = switch (operation) {
                case "update" -> "PATCH";
                case "upsert" -> "PUT";
                default -> "POST";
            };
            return new Call(method, "/services/apexrest/" + path, payload, operation, null);
        }
        if (!endpointType.equals("object")) {
            throw new IllegalArgumentException("endpointType must be object or apex, not '" + endpointType + "'");
        }
        if (!API_NAME.matcher(object).matches()) {
            throw new IllegalArgumentException("object must be an object API name such as Lead or Invoice__c, not '"
                    + object + "'");
        }
        if (!(payload instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("payload must be a JSON object of field names to values");
        }
        String base = "/services/data/" + API_VERSION + "/sobjects/" + object;
        switch (operation) {
            case "update" -> {
                String id = text(p.recordId());
                if (!RECORD_ID.matcher(id).matches()) {
                    throw new IllegalArgumentException("recordId must be a 15- or 18-character Salesforce id, not '"
                            + id + "'");
                }
                return new Call("PATCH", base + "/" + id, payload, operation, id);
            }
            case "upsert" -> {
                String field = text(p.externalIdField());
                String value = text(p.externalId());
                if (!API_NAME.matcher(field).matches()) {
                    throw new IllegalArgumentException("externalIdField must be the API name of an external id"
                            + " field, not '" + field + "'");
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("externalId is required for upsert");
                }
                if (value.equals(".") || value.equals("..")) {
                    // Encoding leaves dots as they are: such a segment would name another path.
                    throw new IllegalArgumentException("externalId " + DOT_EXTERNAL_ID);
                }
                return new Call("PATCH", base + "/" + field + "/" + segment(value), payload, operation, null);
            }
            default -> {
                return new Call("POST", base + "/", payload, operation, null);
            }
        }
    }

    private SalesforceHttp.Reply send(TokenRefresher.Session session, Call call) throws IOException {
        OutboundRequest.Builder rb = connections.http()
                .request(call.method(), session.connection().instanceUrl() + call.path())
                .header("Authorization", "Bearer " + session.accessToken())
                .header("Accept", "application/json");
        if (call.payload() != null) {
            try {
                rb.body(Json.MAPPER.writeValueAsBytes(call.payload()), "application/json");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("payload cannot be written as JSON", e);
            }
        }
        return connections.http().send(rb);
    }

    private ActionResult answer(Call call, SalesforceHttp.Reply reply) {
        Object response = parse(reply.body());
        if (reply.ok()) {
            Map<String, Object> out = new LinkedHashMap<>();
            String id = response instanceof Map<?, ?> m && m.get("id") != null ? m.get("id").toString() : call.recordId();
            boolean created = response instanceof Map<?, ?> m && m.get("created") instanceof Boolean b ? b
                    : reply.status() == 201;
            out.put("recordId", id);
            out.put("created", created);
            out.put("updated", !created);
            out.put("status", reply.status());
            out.put("response", response);
            if (reply.limitInfo() != null) {
                out.put("apiUsage", reply.limitInfo());
            }
            out.values().removeIf(java.util.Objects::isNull);
            return ActionResult.ok(out);
        }
        List<SalesforceErrors.SfError> errors = SalesforceErrors.parse(reply.body());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", reply.status());
        details.put("errors", errors.stream().map(SalesforceErrors.SfError::asMap).toList());
        String what = errors.isEmpty() ? "HTTP " + reply.status() + excerpt(reply.body())
                : String.join("; ", errors.stream().map(SalesforceErrors.SfError::describe).toList());
        if (SalesforceErrors.transientFailure(reply.status(), errors)) {
            return new ActionResult.Retry("Salesforce is busy: " + what, RetryAfter.parse(reply.retryAfter(),
                    clock.instant()), details);
        }
        return ActionResult.fail("Salesforce refused the " + call.operation() + ": " + what, details);
    }

    private static Object parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(body, Object.class);
        } catch (IOException e) {
            return body.length() > 2000 ? body.substring(0, 2000) : body;
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }
}
