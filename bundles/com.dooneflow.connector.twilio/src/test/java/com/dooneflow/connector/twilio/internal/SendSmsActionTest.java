package com.dooneflow.connector.twilio.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.impl.InMemoryDnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryStepJournal;
import com.dooneflow.testing.RecordingEventLog;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The action driving the real twilio-java SDK against a WireMock Twilio that speaks Twilio's wire format. */
class SendSmsActionTest {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String CONTACT = "+14155550123";
    private static final String PUBLIC = "https://flows.example.com";

    private final InMemoryConnectorSettings store = new InMemoryConnectorSettings();
    private final TwilioSettings settings = new TwilioSettings(store);
    private final InMemoryStepJournal journal = new InMemoryStepJournal();
    private final RecordingEventLog events = new RecordingEventLog();
    private TwilioApi api;
    private SendSmsAction action;

    @BeforeEach
    void setUp() {
        api = new TwilioApi(twilio.baseUrl(), PUBLIC, Duration.ofSeconds(2));
        action = new SendSmsAction(settings, api, journal, events, java.time.Clock.systemUTC());
        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private static Map<String, Object> params(String to, String body) {
        Map<String, Object> p = new HashMap<>();
        p.put("recipientType", "contact");
        p.put("to", to);
        p.put("body", body);
        return p;
    }

    private List<String> declaredOutputs() {
        return TypeFiles.read(SendSmsAction.class, SendSmsAction.TYPE).outputs().stream().map(OutputDescriptor::name).toList();
    }

    private ActionResult send(String executionId, int attempt, Map<String, Object> params) {
        return action.execute(Fakes.context(executionId, attempt, params, Map.of()));
    }

    @Test
    void sendsTheFormFieldsTwilioExpectsWithBasicAuthAndReturnsTheMessage() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi Ann", "1", "-0.00790")));

        ActionResult result = send("exec-1", 1, params(CONTACT, "Hi Ann"));

        assertThat(result).isInstanceOf(ActionResult.Ok.class);
        Map<String, Object> out = ((ActionResult.Ok) result).outputs();
        assertThat(out).containsEntry("sms_message_sid", TwilioWire.SID).containsEntry("sms_status", "queued")
                .containsEntry("sms_to", CONTACT).containsEntry("sms_from", Fakes.FROM)
                .containsEntry("sms_segments", 1).containsEntry("sms_encoding", "GSM-7")
                .containsEntry("sms_price", "-0.00790").containsEntry("sms_price_unit", "USD");
        // Every declared output but the Messaging Service's, which a sending number replaces.
        assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(declaredOutputs().stream()
                .filter(name -> !name.equals("sms_messaging_service_sid")).toList());

        LoggedRequest request = onlyRequest();
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString((Fakes.ACCOUNT_SID + ":" + Fakes.TOKEN).getBytes(StandardCharsets.US_ASCII)));
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = TwilioForms.parse(request.getBodyAsString());
        assertThat(form).containsOnlyKeys("To", "From", "Body", "StatusCallback")
                .containsEntry("To", CONTACT).containsEntry("From", Fakes.FROM).containsEntry("Body", "Hi Ann")
                .containsEntry("StatusCallback", PUBLIC + "/v1/twilio/status/" + Fakes.ORG + "/exec-1/0");

        assertThat(journal.get("exec-1", 0, SendSmsAction.SEND_NOTE).orElseThrow())
                .containsEntry("state", "done").containsEntry("organizationId", Fakes.ORG);
        assertThat(journal.history()).extracting(InMemoryStepJournal.Note::key, n -> n.value().get("state"),
                n -> n.value().get("status"))
                .startsWith(tuple("as_sent", null, null), tuple("twilio.send", "sending", null),
                        tuple("twilio.send", "done", null));
        assertThat(journal.get("exec-1", 0, SendSmsAction.DELIVERY_NOTE).orElseThrow()).containsEntry("status", "queued");
    }

    @Test
    void aMessagingServiceReplacesFromAndTheContactNumberIsNormalisedToE164() {
        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, null, null, Fakes.SERVICE_SID));
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)));

        ActionResult result = send("exec-2", 1, params("+1 (415) 555-0123", "Hi"));

        assertThat(result).isInstanceOf(ActionResult.Ok.class);
        assertThat(((ActionResult.Ok) result).outputs()).containsEntry("sms_messaging_service_sid", Fakes.SERVICE_SID)
                .doesNotContainKeys("sms_from", "sms_price");
        assertThat(declaredOutputs()).containsAll(((ActionResult.Ok) result).outputs().keySet());
        Map<String, String> form = TwilioForms.parse(onlyRequest().getBodyAsString());
        assertThat(form).containsEntry("MessagingServiceSid", Fakes.SERVICE_SID).containsEntry("To", CONTACT)
                .doesNotContainKey("From");
    }

    @Test
    void aTeamMemberRecipientTakesThePhoneOfThePrecedingAssignment() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created("+442071838750", "x", "1", null)));
        Map<String, Object> p = params(CONTACT, "New contact: Ann");
        p.put("recipientType", "team_member");

        ActionResult result = action.execute(Fakes.context("exec-3", 1, p, Map.of("team_member_phone", "+442071838750",
                "team_member_name", "Bea")));

        assertThat(result).isInstanceOf(ActionResult.Ok.class);
        assertThat(TwilioForms.parse(onlyRequest().getBodyAsString())).containsEntry("To", "+442071838750");
        assertThat(journal.get("exec-3", 0, SendSmsAction.AS_SENT_NOTE).orElseThrow())
                .as("the step's input shows the member's number, not the rendered to")
                .isEqualTo(Map.of("to", "+442071838750"));

        ActionResult noAssignment = action.execute(Fakes.context("exec-4", 1, p, Map.of()));
        assertThat(((ActionResult.Fail) noAssignment).reason()).contains("team.assign");
        assertThat(twilio.getAllServeEvents()).hasSize(1);
    }

    @Test
    void anInvalidNumberOrAnOverlongBodyFailsBeforeAnythingIsSent() {
        assertThat(((ActionResult.Fail) send("e", 1, params("+1555", "Hi"))).reason()).contains("not a valid phone number");
        assertThat(((ActionResult.Fail) send("e", 1, params("4155550123", "Hi"))).reason()).contains("country code");
        assertThat(((ActionResult.Fail) send("e", 1, params("{contact_phone}", "Hi"))).reason())
                .contains("{contact_phone}").contains("no such variable");
        assertThat(((ActionResult.Fail) send("e", 1, params(CONTACT, "x".repeat(1601)))).reason())
                .contains("1601 characters").contains("at most 1,600");
        assertThat(((ActionResult.Fail) send("e", 1, params(CONTACT, "  "))).reason()).contains("empty");
        assertThat(twilio.getAllServeEvents()).isEmpty();
        assertThat(journal.all()).isEmpty();

        // 1,600 is allowed; emoji count as one character each.
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "x", "11", null)));
        assertThat(send("e-1600", 1, params(CONTACT, "x".repeat(1600)))).isInstanceOf(ActionResult.Ok.class);
        assertThat(send("e-emoji", 1, params(CONTACT, "😀".repeat(1600)))).isInstanceOf(ActionResult.Ok.class);
    }

    @Test
    void permanentTwilioErrorsFailWithTwilioCodeAndMessage() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.error(400, 21610,
                "Attempt to send to unsubscribed recipient")));

        ActionResult.Fail fail = (ActionResult.Fail) send("exec-5", 1, params(CONTACT, "Hi"));

        assertThat(fail.reason()).startsWith("Twilio error 21610: Attempt to send to unsubscribed recipient")
                .contains("replied STOP");
        assertThat(fail.details()).containsEntry("twilioCode", 21610).containsEntry("httpStatus", 400);
        assertThat(journal.get("exec-5", 0, SendSmsAction.SEND_NOTE).orElseThrow()).containsEntry("state", "rejected");
        assertThat(twilio.getAllServeEvents()).hasSize(1);
        assertThat(events.recorded()).isEmpty();

        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.error(400, 21211,
                "The 'To' number +14155550123 is not a valid phone number.")));
        assertThat(((ActionResult.Fail) send("exec-6", 1, params(CONTACT, "Hi"))).reason())
                .startsWith("Twilio error 21211: The 'To' number +14155550123 is not a valid phone number.");
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.error(400, 21617,
                "The concatenated message body exceeds the 1600 character limit.")));
        assertThat(((ActionResult.Fail) send("exec-7", 1, params(CONTACT, "Hi"))).reason()).startsWith("Twilio error 21617");
    }

    @Test
    void rejectedCredentialsFailAndAreRecordedAsAnEvent() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.error(401, 20003, "Authenticate")));

        ActionResult.Fail fail = (ActionResult.Fail) send("exec-8", 1, params(CONTACT, "Hi"));

        assertThat(fail.reason()).startsWith("Twilio error 20003: Authenticate").contains("Integrations > Twilio");
        assertThat(events.recorded()).singleElement().satisfies(e -> {
            assertThat(e.organizationId()).isEqualTo(Fakes.ORG);
            assertThat(e.message()).contains("Account SID and Auth Token").doesNotContain(Fakes.TOKEN);
        });
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetriedByTheEngineOneRequestPerAttempt() {
        twilio.stubFor(post(TwilioWire.MESSAGES).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(TwilioWire.error(429, 20429, "Too Many Requests")).willSetStateTo("then503"));
        twilio.stubFor(post(TwilioWire.MESSAGES).inScenario("busy").whenScenarioStateIs("then503")
                .willReturn(TwilioWire.error(503, 20503, "Service Unavailable")).willSetStateTo("ok"));
        twilio.stubFor(post(TwilioWire.MESSAGES).inScenario("busy").whenScenarioStateIs("ok")
                .willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)));

        ActionResult first = send("exec-9", 1, params(CONTACT, "Hi"));
        assertThat(first).isInstanceOf(ActionResult.Retry.class);
        assertThat(((ActionResult.Retry) first).reason()).contains("429");
        assertThat(twilio.getAllServeEvents()).hasSize(1); // the SDK did not retry by itself
        assertThat(journal.get("exec-9", 0, SendSmsAction.SEND_NOTE).orElseThrow()).containsEntry("state", "retrying");

        ActionResult second = send("exec-9", 2, params(CONTACT, "Hi"));
        assertThat(((ActionResult.Retry) second).reason()).contains("503");
        assertThat(twilio.getAllServeEvents()).hasSize(2);

        assertThat(send("exec-9", 3, params(CONTACT, "Hi"))).isInstanceOf(ActionResult.Ok.class);
        assertThat(twilio.getAllServeEvents()).hasSize(3);
    }

    @Test
    void twiliosRetryAfterIsHonouredAndItsErrorStillReported() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.error(429, 20429, "Too Many Requests")
                .withHeader("Retry-After", "30")));

        ActionResult.Retry busy = (ActionResult.Retry) send("exec-30", 1, params(CONTACT, "Hi"));

        assertThat(busy.after()).isEqualTo(Duration.ofSeconds(30));
        assertThat(busy.reason()).isEqualTo("Twilio answered 429: Twilio error 20429: Too Many Requests");
        assertThat(busy.details()).containsEntry("httpStatus", 429);
        assertThat(twilio.getAllServeEvents()).hasSize(1);

        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.error(503, 20503, "Service Unavailable")));
        ActionResult.Retry unavailable = (ActionResult.Retry) send("exec-31", 1, params(CONTACT, "Hi"));
        assertThat(unavailable.after()).as("no Retry-After: the engine's own backoff").isNull();
        assertThat(unavailable.reason()).contains("Twilio error 20503: Service Unavailable");
    }

    @Test
    void noAnswerInTimeOrAResetConnectionIsRetried() throws Exception {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)
                .withFixedDelay(4000)));
        ActionResult slow = send("exec-10", 1, params(CONTACT, "Hi"));
        assertThat(slow).isInstanceOf(ActionResult.Retry.class);
        assertThat(((ActionResult.Retry) slow).reason()).contains("did not answer in time");

        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(send("exec-11", 1, params(CONTACT, "Hi"))).isInstanceOf(ActionResult.Retry.class);

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SendSmsAction unreachable = new SendSmsAction(settings, new TwilioApi("http://127.0.0.1:" + closed, PUBLIC,
                Duration.ofSeconds(2)), journal, events, java.time.Clock.systemUTC());
        ActionResult refused = unreachable.execute(Fakes.context("exec-12", 1, params(CONTACT, "Hi"), Map.of()));
        assertThat(refused).isInstanceOf(ActionResult.Retry.class);
        assertThat(((ActionResult.Retry) refused).reason()).contains("Twilio could not be reached")
                .contains("Connection refused");
        assertThat(journal.get("exec-12", 0, SendSmsAction.SEND_NOTE).orElseThrow())
                .as("a refused connection sent nothing").containsEntry("state", "retrying");
    }

    @Test
    void afterAnAttemptThatReachedNoTwilioTheNextOneSendsWithoutAsking() throws Exception {
        // Attempt 1: Twilio's host name does not resolve (a resolver that knows no names), so no request leaves.
        TwilioApi unresolved = new TwilioApi(new BaseUrlHttpClient("http://api.twilio.test", Duration.ofSeconds(2),
                new InMemoryDnsResolver()), PUBLIC);
        ActionResult.Retry first;
        try {
            first = (ActionResult.Retry) new SendSmsAction(settings, unresolved, journal, events,
                    java.time.Clock.systemUTC()).execute(Fakes.context("exec-21", 1, params(CONTACT, "Hi"), Map.of()));
        } finally {
            unresolved.close();
        }
        assertThat(first.reason()).contains("UnknownHostException: api.twilio.test").contains("nothing was sent");
        assertThat(journal.get("exec-21", 0, SendSmsAction.SEND_NOTE).orElseThrow()).containsEntry("state", "retrying");

        // Attempt 2: Twilio answers. Nothing was sent before, so it sends at once without looking for the message.
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)));
        ActionResult second = send("exec-21", 2, params(CONTACT, "Hi"));

        assertThat(((ActionResult.Ok) second).outputs()).containsEntry("sms_message_sid", TwilioWire.SID);
        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(TwilioWire.MESSAGES)))).hasSize(1);
        assertThat(twilio.getAllServeEvents()).as("no look in the message list").hasSize(1);
        assertThat(journal.get("exec-21", 0, SendSmsAction.SEND_NOTE).orElseThrow()).containsEntry("state", "done");
    }

    @Test
    void afterAnUnansweredAttemptTheNextOneAsksTwilioBeforeSendingAgain() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)
                .withFixedDelay(4000)));
        assertThat(send("exec-18", 1, params(CONTACT, "Hi"))).isInstanceOf(ActionResult.Retry.class);
        assertThat(journal.get("exec-18", 0, SendSmsAction.SEND_NOTE).orElseThrow()).containsEntry("state", "no_answer");

        // Twilio did create it: the next attempt finds it in the message list and does not send again.
        twilio.stubFor(get(urlPathEqualTo(TwilioWire.MESSAGES)).withQueryParam("To", equalTo(CONTACT))
                .willReturn(TwilioWire.list(CONTACT, "Hi")));
        ActionResult found = send("exec-18", 2, params(CONTACT, "Hi"));
        assertThat(((ActionResult.Ok) found).outputs()).containsEntry("sms_message_sid", TwilioWire.SID);
        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(TwilioWire.MESSAGES)))).hasSize(1);
        assertThat(journal.get("exec-18", 0, SendSmsAction.SEND_NOTE).orElseThrow()).containsEntry("state", "done");
    }

    @Test
    void afterAnUnansweredAttemptAMessageNotInTwilioListIsSent() {
        twilio.stubFor(post(TwilioWire.MESSAGES).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(TwilioWire.created(CONTACT, "Hi", "1", null).withFixedDelay(4000)).willSetStateTo("fast"));
        twilio.stubFor(post(TwilioWire.MESSAGES).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)));
        twilio.stubFor(get(urlPathEqualTo(TwilioWire.MESSAGES)).willReturn(TwilioWire.list(CONTACT, "Another message")));
        assertThat(send("exec-19", 1, params(CONTACT, "Hi"))).isInstanceOf(ActionResult.Retry.class);

        assertThat(send("exec-19", 2, params(CONTACT, "Hi"))).isInstanceOf(ActionResult.Ok.class);
        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(TwilioWire.MESSAGES)))).hasSize(2);

        // When Twilio cannot be asked, the step waits for a later attempt rather than risk a second text.
        journal.put("exec-20", 0, SendSmsAction.SEND_NOTE, Map.of("state", "no_answer", "to", CONTACT,
                "startedAt", java.time.Instant.now().toString(), "organizationId", Fakes.ORG));
        twilio.stubFor(get(urlPathEqualTo(TwilioWire.MESSAGES)).willReturn(TwilioWire.error(503, 20503, "Unavailable")));
        ActionResult.Retry unsure = (ActionResult.Retry) send("exec-20", 2, params(CONTACT, "Hi"));
        assertThat(unsure.reason()).contains("cannot be asked yet");
        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(TwilioWire.MESSAGES)))).hasSize(2);
    }

    @Test
    void anAttemptThatFindsSendingWithoutAResultFailsAsUnknownInsteadOfSendingAgain() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)));
        // A node recorded "sending" and died before Twilio's answer was recorded.
        journal.put("exec-13", 0, SendSmsAction.SEND_NOTE, Map.of("state", "sending", "to", CONTACT,
                "startedAt", "2026-11-27T16:00:00Z", "organizationId", Fakes.ORG));

        ActionResult.Fail fail = (ActionResult.Fail) send("exec-13", 2, params(CONTACT, "Hi"));

        assertThat(fail.reason()).startsWith("outcome unknown — not re-sent").contains(CONTACT);
        assertThat(twilio.getAllServeEvents()).isEmpty();
    }

    @Test
    void anAttemptAfterARecordedSendReturnsTheRecordedResultWithoutSending() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, "Hi", "1", null)));
        Map<String, Object> first = ((ActionResult.Ok) send("exec-14", 1, params(CONTACT, "Hi"))).outputs();

        // The engine did not record the step (the node died right after the journal entry): run it again.
        ActionResult again = send("exec-14", 2, params(CONTACT, "Hi"));

        assertThat(((ActionResult.Ok) again).outputs()).isEqualTo(first);
        assertThat(twilio.getAllServeEvents()).hasSize(1);
    }

    @Test
    void anUnreadableSuccessAnswerLeavesTheOutcomeUnknownAndIsNeverResent() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"sid\": \"SM1")));

        ActionResult.Fail first = (ActionResult.Fail) send("exec-15", 1, params(CONTACT, "Hi"));
        assertThat(first.reason()).startsWith("outcome unknown — not re-sent");
        ActionResult.Fail second = (ActionResult.Fail) send("exec-15", 2, params(CONTACT, "Hi"));
        assertThat(second.reason()).startsWith("outcome unknown — not re-sent");
        assertThat(twilio.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aMissingConfigurationFailsPermanentlyWithAnEventAndNoRequest() {
        settings.delete(Fakes.ORG);

        ActionResult.Fail fail = (ActionResult.Fail) send("exec-16", 1, params(CONTACT, "Hi"));

        assertThat(fail.reason()).isEqualTo("Twilio is not configured for this organization");
        assertThat(events.recorded()).singleElement().satisfies(e -> {
            assertThat(e.message()).startsWith("Twilio is not configured for this organization");
            assertThat(e.details()).containsEntry("executionId", "exec-16");
        });
        assertThat(twilio.getAllServeEvents()).isEmpty();
    }

    @Test
    void aUnicodeBodyIsCountedInUcs2Segments() {
        String body = "Grüße 😀 ".repeat(10); // 90 UTF-16 units with emoji: UCS-2, two segments
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created(CONTACT, body, "0", null)));

        Map<String, Object> out = ((ActionResult.Ok) send("exec-17", 1, params(CONTACT, body))).outputs();

        assertThat(out).containsEntry("sms_encoding", "UCS-2").containsEntry("sms_segments", 2);
        assertThat(TwilioForms.parse(onlyRequest().getBodyAsString())).containsEntry("Body", body);
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(TwilioWire.MESSAGES)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
