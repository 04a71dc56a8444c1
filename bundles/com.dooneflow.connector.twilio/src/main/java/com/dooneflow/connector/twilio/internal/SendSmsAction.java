package com.dooneflow.connector.twilio.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.phone.PhoneNumbers;
import com.dooneflow.api.Event;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.SideEffectNote;
import com.dooneflow.api.spi.SideEffectNote.State;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.OutputDescriptor.Type;
import com.dooneflow.api.spi.StepJournal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;

/**
 * The {@code twilio.sms.send} action: one SMS through the organization's Twilio account. Everything that can be
 * checked here (recipient in E.164, body length, configuration) is checked before Twilio is called.
 *
 * <p>Sending is journalled: "sending" is committed before the request and the message SID after it, so an attempt
 * that finds "sending" without a result (the node died in between) fails as "outcome unknown" instead of perhaps
 * texting the person twice. Twilio's 429 and 5xx answers and network trouble are retried by the engine with backoff;
 * other Twilio errors fail the step with Twilio's code and message. After an attempt that got no answer (a timeout,
 * a reset connection) the message may exist, so the next attempt first looks for it in Twilio's message list and
 * sends only when it is not there.
 */
@Component(property = ActionHandler.TYPE + "=" + SendSmsAction.TYPE)
public class SendSmsAction implements ActionHandler {

    public static final String TYPE = "twilio.sms.send";
    static final String SEND_NOTE = "twilio.send";
    /** The note of parameter values used in place of the rendered ones, which the execution's step shows. */
    static final String AS_SENT_NOTE = "as_sent";
    static final String DELIVERY_NOTE = "twilio.delivery";
    static final int MAX_BODY = 1600;
    static final String NOT_CONFIGURED = "Twilio is not configured for this organization";
    static final String CONTACT = "contact";
    static final String TEAM_MEMBER = "team_member";
    static final String TEAM_MEMBER_PHONE = "team_member_phone";
    /** How far before an unanswered attempt a message found in Twilio's list may have been created (clock skew). */
    static final Duration RECONCILE_SKEW = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(SendSmsAction.class);
    /** A {variable} placeholder, as the engine's templates write them. */
    private static final Pattern TEMPLATE = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_.]*\\}");

    private final TwilioSettings settings;
    private final TwilioApi api;
    private final StepJournal journal;
    private final EventLog events;
    private final Clock clock;

    @Activate
    public SendSmsAction(@Reference TwilioSettings settings, @Reference TwilioApi api, @Reference StepJournal journal,
                         @Reference EventLog events) {
        this(settings, api, journal, events, Clock.systemUTC());
    }

    SendSmsAction(TwilioSettings settings, TwilioApi api, StepJournal journal, EventLog events, Clock clock) {
        this.settings = settings;
        this.api = api;
        this.journal = journal;
        this.events = events;
        this.clock = clock;
    }

    /** A recipient written out (not a template) must already be a valid number in E.164. */
    @Override
    public List<FieldError> validate(String organizationId, Map<String, Object> params) {
        boolean contact = params.get("recipientType") == null || CONTACT.equals(params.get("recipientType"));
        if (contact && params.get("to") instanceof String to && !to.isBlank() && !TEMPLATE.matcher(to).find()) {
            try {
                PhoneNumbers.toE164(to);
            } catch (IllegalArgumentException e) {
                return List.of(new FieldError("to", e.getMessage()));
            }
        }
        return List.of();
    }

    /** The step's parameters, named and typed as in {@code twilio.sms.send.json} (checked by the unit test). */
    record Params(String recipientType, String to, String body) {
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String recipientType;
        String to;
        String body;
        try {
            Params p = ctx.params(Params.class);
            recipientType = p.recipientType() == null ? CONTACT : p.recipientType().trim();
            if (!CONTACT.equals(recipientType) && !TEAM_MEMBER.equals(recipientType)) {
                return ActionResult.fail("recipientType must be contact or team_member, not '" + recipientType + "'");
            }
            to = recipient(recipientType, p.to(), ctx.variables());
            body = body(p.body());
        } catch (IllegalArgumentException e) {
            return ActionResult.fail(e.getMessage());
        }
        Optional<TwilioAccount> account = settings.account(ctx.organizationId());
        if (account.isEmpty()) {
            event(ctx, NOT_CONFIGURED + ": an SMS step could not be sent. An owner or admin can set the account up "
                    + "under Integrations > Twilio.");
            return ActionResult.fail(NOT_CONFIGURED);
        }

        SideEffectNote note = SideEffectNote.of(journal, ctx, SEND_NOTE, clock);
        Optional<SideEffectNote.Earlier> earlier = note.earlier();
        State was = earlier.map(SideEffectNote.Earlier::state).orElse(null);
        if (was == State.DONE) {
            // Sent, but the node died before the step was recorded.
            return ActionResult.ok(outputsOf(earlier.get().note()));
        }
        if (was == State.SENDING) {
            return ActionResult.fail("outcome unknown — not re-sent: an earlier attempt ("
                    + earlier.get().note().get("startedAt") + ") started sending this SMS and stopped before Twilio's answer was recorded. Check the Twilio "
                    + "console's messaging logs for a message to " + earlier.get().note().get("to") + ".");
        }

        TwilioAccount a = account.get();
        if (was == State.NO_ANSWER) {
            // The last attempt got no answer: Twilio may have the message. Ask before sending it again.
            Optional<Message> found;
            try {
                found = alreadySent(a, to, body, Instant.parse(String.valueOf(earlier.get().note().get("startedAt"))));
            } catch (TwilioException | DateTimeParseException e) {
                return ActionResult.retry("Twilio did not answer the last attempt and cannot be asked yet whether that "
                        + "message arrived", null);
            }
            if (found.isPresent()) {
                note.continueFrom(earlier.get());
                return sent(ctx, note, recipientType, to, a, body, found.get());
            }
        }

        Optional<String> callback = api.statusCallbackUrl(ctx.organizationId(), ctx.executionId(), ctx.stepIndex());
        Map<String, Object> sending = new LinkedHashMap<>();
        sending.put("organizationId", ctx.organizationId());
        sending.put("to", to);
        callback.ifPresent(url -> sending.put("statusCallback", url));
        // The step's input shows the number the SMS goes to (for a team member, not the rendered "to").
        journal.put(ctx.executionId(), ctx.stepIndex(), AS_SENT_NOTE, Map.of("to", to));
        note.sending(sending);

        MessageCreator creator = a.phoneNumber() != null
                ? Message.creator(new PhoneNumber(to), new PhoneNumber(a.phoneNumber()), body)
                : Message.creator(new PhoneNumber(to), a.messagingServiceSid(), body);
        callback.ifPresent(url -> creator.setStatusCallback(URI.create(url)));
        Message message;
        try {
            message = creator.create(api.client(a));
        } catch (ApiConnectionException e) {
            note.end(State.NO_ANSWER, Map.of("reason", "no readable answer"));
            return ActionResult.retry("no readable answer from Twilio", null);
        } catch (ApiException e) {
            return failure(ctx, note, e);
        } catch (RuntimeException e) {
            // Leaves "sending" in the journal on purpose: whether Twilio got the message is not known.
            LOG.warn("Sending SMS step {} of execution {} failed unexpectedly", ctx.stepIndex(), ctx.executionId(), e);
            return ActionResult.fail("outcome unknown — not re-sent: sending failed unexpectedly (the server log has "
                    + "the details).");
        }
        return sent(ctx, note, recipientType, to, a, body, message);
    }

    /** Records Twilio's acceptance in the journal (SID, status, delivery status) and returns the step's outputs. */
    private ActionResult sent(ActionContext ctx, SideEffectNote note, String recipientType, String to,
                              TwilioAccount a, String body, Message message) {
        Map<String, Object> outputs = outputs(recipientType, to, a, body, message);
        try {
            note.end(State.DONE, Map.of("outputs", outputs));
            DeliveryStatus.record(journal, ctx.executionId(), ctx.stepIndex(), String.valueOf(outputs.get("sms_status")),
                    null, clock.instant());
        } catch (RuntimeException e) {
            // Twilio has the message: report it sent. A later attempt would find "sending" and not send again.
            LOG.warn("SMS {} of execution {} was sent but could not be journalled", message.getSid(), ctx.executionId(), e);
        }
        return ActionResult.ok(outputs);
    }

    /**
     * The message an unanswered attempt may have created: the newest messages to this recipient (Twilio's message
     * list) with the same body, created since shortly before that attempt started.
     */
    private Optional<Message> alreadySent(TwilioAccount a, String to, String body, Instant attemptStarted) {
        Instant since = attemptStarted.minus(RECONCILE_SKEW);
        for (Message m : Message.reader().setTo(new PhoneNumber(to)).setPageSize(20L).limit(20).read(api.client(a))) {
            boolean recent = m.getDateCreated() == null || !m.getDateCreated().toInstant().isBefore(since);
            if (recent && body.equals(m.getBody())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private ActionResult failure(ActionContext ctx, SideEffectNote note, ApiException e) {
        Integer status = e.getStatusCode();
        Throwable cause = e.getCause();
        if (status == null && cause instanceof JsonProcessingException) {
            // Twilio answered, but not readably: the message may exist. Leave "sending" and do not send again.
            return ActionResult.fail("outcome unknown — not re-sent: Twilio's answer could not be read.");
        }
        if (status == null && (cause instanceof UnknownHostException || cause instanceof ConnectException)) {
            // No connection was made, so nothing reached Twilio: the next attempt simply sends.
            note.end(State.RETRYING, Map.of("reason", cause.getClass().getSimpleName()));
            return ActionResult.retry("Twilio could not be reached, nothing was sent (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", null);
        }
        if (status == null && cause instanceof IOException) {
            // Perhaps sent, perhaps not: the next attempt asks Twilio before sending again.
            note.end(State.NO_ANSWER, Map.of("reason", cause.getClass().getSimpleName()));
            return ActionResult.retry("Twilio could not be reached or did not answer in time ("
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + ")", null);
        }
        if (TwilioErrors.isTransient(status)) {
            note.end(State.RETRYING, Map.of("httpStatus", status, "twilioCode", e.getCode() == null ? 0 : e.getCode()));
            Duration after = e instanceof TwilioBusyException busy ? busy.retryAfter() : null;
            return new ActionResult.Retry("Twilio answered " + status + ": " + TwilioErrors.describe(e.getCode(),
                    e.getMessage()), after, Map.of("httpStatus", status));
        }
        String reason = TwilioErrors.describe(e.getCode(), e.getMessage());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("httpStatus", status == null ? 0 : status);
        details.put("twilioCode", e.getCode() == null ? 0 : e.getCode());
        if (e.getMoreInfo() != null) {
            details.put("moreInfo", e.getMoreInfo());
        }
        note.end(State.REJECTED, details);
        if (e.getCode() != null && e.getCode() == 20003) {
            event(ctx, "Twilio rejected the organization's Account SID and Auth Token; SMS cannot be sent until they "
                    + "are corrected under Integrations > Twilio.");
        }
        return ActionResult.fail(reason, details);
    }

    private void event(ActionContext ctx, String message) {
        try {
            events.record(ctx.organizationId(), Event.Level.ERROR, TYPE, message,
                    Map.of("executionId", ctx.executionId(), "stepIndex", ctx.stepIndex()));
        } catch (RuntimeException e) {
            LOG.warn("Could not record a Twilio event for execution {}", ctx.executionId(), e);
        }
    }

    /** The recipient in E.164, or a reason a person understands. */
    static String recipient(String recipientType, Object toParam, Map<String, Object> variables) {
        String to;
        String source;
        if (TEAM_MEMBER.equals(recipientType)) {
            Object phone = variables.get(TEAM_MEMBER_PHONE);
            if (phone == null || phone.toString().isBlank()) {
                throw new IllegalArgumentException("recipientType team_member needs a team.assign step before this one "
                        + "(there is no {team_member_phone})");
            }
            to = phone.toString();
            source = "the team member's phone";
        } else {
            to = toParam == null ? "" : toParam.toString();
            source = "the recipient 'to'";
            if (TEMPLATE.matcher(to).find()) {
                throw new IllegalArgumentException(source + " is '" + to + "', and this execution has no such variable "
                        + "(does the trigger data carry the contact's phone?)");
            }
        }
        try {
            return PhoneNumbers.toE164(to);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " " + e.getMessage());
        }
    }

    static String body(Object bodyParam) {
        String body = bodyParam == null ? "" : bodyParam.toString();
        if (body.isBlank()) {
            throw new IllegalArgumentException("the message body is empty");
        }
        int length = body.codePointCount(0, body.length());
        if (length > MAX_BODY) {
            throw new IllegalArgumentException("the message body is " + length + " characters long after filling in "
                    + "its variables; Twilio accepts at most 1,600");
        }
        return body;
    }

    private static Map<String, Object> outputs(String recipientType, String to, TwilioAccount account, String body,
                                               Message message) {
        SmsSegments computed = SmsSegments.of(body);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sms_message_sid", message.getSid());
        out.put("sms_status", message.getStatus() == null ? "queued" : message.getStatus().toString());
        out.put("sms_recipient_type", recipientType);
        out.put("sms_to", to);
        if (account.phoneNumber() != null) {
            out.put("sms_from", account.phoneNumber());
        } else {
            out.put("sms_messaging_service_sid", account.messagingServiceSid());
        }
        out.put("sms_encoding", computed.encoding());
        out.put("sms_segments", segments(message.getNumSegments(), computed.segments()));
        if (message.getPrice() != null) {
            out.put("sms_price", message.getPrice());
        }
        if (message.getPriceUnit() != null) {
            out.put("sms_price_unit", message.getPriceUnit().getCurrencyCode());
        }
        return out;
    }

    /** Twilio's count when it gave one (it knows the final encoding), otherwise ours. */
    private static int segments(String twilio, int computed) {
        try {
            int n = twilio == null ? 0 : Integer.parseInt(twilio.trim());
            return n > 0 ? n : computed;
        } catch (NumberFormatException e) {
            return computed;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outputsOf(Map<String, Object> note) {
        Object outputs = note.get("outputs");
        return outputs instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
