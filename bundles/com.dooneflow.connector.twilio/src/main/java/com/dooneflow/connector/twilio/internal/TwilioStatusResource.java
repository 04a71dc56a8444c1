package com.dooneflow.connector.twilio.internal;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.annotation.security.PermitAll;
import javax.ws.rs.Consumes;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.api.rest.DooneFlowResource;
import com.twilio.security.RequestValidator;

/**
 * {@code POST /v1/twilio/status/{orgId}/{executionId}/{stepIndex}}: Twilio's delivery status callback for the SMS a
 * step sent. Public (Twilio has no token), so it proves itself: {@code X-Twilio-Signature} must verify with the
 * organization's auth token over the exact URL the message was sent with, and the message SID must be the one that
 * step sent. Anything else is 403, the same for every kind of stranger.
 */
@Component(service = TwilioStatusResource.class)
@DooneFlowResource
@Path("v1/twilio/status/{orgId}/{executionId}/{stepIndex}")
public class TwilioStatusResource {

    private static final Logger LOG = LoggerFactory.getLogger(TwilioStatusResource.class);
    private static final String REFUSED = "The request is not a status callback Twilio signed for this message.";

    private final TwilioSettings settings;
    private final TwilioApi api;
    private final StepJournal journal;
    private final Clock clock;

    @Activate
    public TwilioStatusResource(@Reference TwilioSettings settings, @Reference TwilioApi api,
                                @Reference StepJournal journal) {
        this(settings, api, journal, Clock.systemUTC());
    }

    TwilioStatusResource(TwilioSettings settings, TwilioApi api, StepJournal journal, Clock clock) {
        this.settings = settings;
        this.api = api;
        this.journal = journal;
        this.clock = clock;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(@PathParam("orgId") String orgId, @PathParam("executionId") String executionId,
                           @PathParam("stepIndex") int stepIndex, @HeaderParam("X-Twilio-Signature") String signature,
                           MultivaluedMap<String, String> form) {
        Map<String, String> params = new TreeMap<>();
        if (form != null) {
            form.forEach((name, values) -> params.put(name, values.isEmpty() ? "" : values.get(0)));
        }
        Optional<Map<String, Object>> sent = journal.get(executionId, stepIndex, SendSmsAction.SEND_NOTE);
        Optional<TwilioAccount> account = settings.account(orgId);
        if (signature == null || signature.isBlank() || sent.isEmpty() || account.isEmpty()
                || !orgId.equals(sent.get().get("organizationId"))) {
            throw refused(executionId, "unsigned, or no SMS of this organization on that step");
        }
        // The URL the message was sent with, as Twilio signs it; the public URL may have changed since.
        String url = sent.get().get("statusCallback") instanceof String s ? s
                : api.statusCallbackUrl(orgId, executionId, stepIndex).orElse("");
        if (!new RequestValidator(account.get().authToken()).validate(url, params, signature)) {
            throw refused(executionId, "signature does not verify");
        }
        String sid = params.get("MessageSid");
        Object expected = sent.get().get("outputs") instanceof Map<?, ?> outputs ? outputs.get("sms_message_sid") : null;
        String status = params.get("MessageStatus");
        // The SID is unknown only while the send's answer is being recorded (a very early callback); the signed,
        // step-specific URL already ties the callback to this step then.
        boolean sidMatches = sid != null && (expected == null ? "sending".equals(sent.get().get("state")) : sid.equals(expected));
        if (!sidMatches || status == null || !DeliveryStatus.isKnown(status)) {
            throw refused(executionId, "message SID or status does not match the step");
        }
        DeliveryStatus.record(journal, executionId, stepIndex, status, params.get("ErrorCode"), clock.instant());
        io.micrometer.core.instrument.Metrics.counter("dooneflow.twilio.delivery.statuses", "organization", orgId,
                "status", status).increment();
        return Response.noContent().build();
    }

    private static ForbiddenException refused(String executionId, String why) {
        LOG.debug("Twilio status callback for execution {} refused: {}", executionId, why);
        return new ForbiddenException(REFUSED);
    }
}
