package com.dooneflow.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.dooneflow.api.ForbiddenException;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryStepJournal;

/** Signed and forged delivery-status callbacks; signatures computed here as Twilio documents them. */
class TwilioStatusResourceTest {

    private static final String EXECUTION = "exec-1";
    private static final String URL = "https://flows.example.com/v1/twilio/status/" + Fakes.ORG + "/" + EXECUTION + "/0";

    private final InMemoryConnectorSettings store = new InMemoryConnectorSettings();
    private final TwilioSettings settings = new TwilioSettings(store);
    private final InMemoryStepJournal journal = new InMemoryStepJournal();
    private final TwilioApi api = new TwilioApi("http://127.0.0.1:9", "https://flows.example.com", Duration.ofSeconds(1));
    private final TwilioStatusResource resource = new TwilioStatusResource(settings, api, journal, java.time.Clock.systemUTC());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void setUp() {
        Metrics.addRegistry(meters);
        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null));
        // What SendSmsAction left after Twilio accepted the message.
        journal.put(EXECUTION, 0, SendSmsAction.SEND_NOTE, Map.of("state", "sent", "organizationId", Fakes.ORG,
                "statusCallback", URL, "outputs", Map.of("sms_message_sid", TwilioWire.SID)));
    }

    @AfterEach
    void close() {
        Metrics.removeRegistry(meters);
        api.close();
    }

    /** Twilio's documented scheme: Base64(HMAC-SHA1(auth token, URL + each POST parameter name and value, sorted by name)). */
    static String sign(String token, String url, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> callback(String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", Fakes.ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("From", Fakes.FROM);
        p.put("MessageSid", TwilioWire.SID);
        p.put("MessageStatus", status);
        p.put("SmsSid", TwilioWire.SID);
        p.put("SmsStatus", status);
        p.put("To", "+14155550123");
        return p;
    }

    private static MultivaluedMap<String, String> form(Map<String, String> params) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        params.forEach(form::add);
        return form;
    }

    private int post(String org, String execution, Map<String, String> params, String signature) {
        return resource.status(org, execution, 0, signature, form(params)).getStatus();
    }

    private Map<String, Object> delivery() {
        return journal.get(EXECUTION, 0, SendSmsAction.DELIVERY_NOTE).orElseThrow();
    }

    @Test
    void signedCallbacksMoveTheDeliveryStatusForwardOnly() throws Exception {
        for (String status : List.of("queued", "sent", "delivered")) {
            Map<String, String> params = callback(status);
            assertThat(post(Fakes.ORG, EXECUTION, params, sign(Fakes.TOKEN, URL, params))).isEqualTo(204);
        }
        assertThat(delivery()).containsEntry("status", "delivered");

        // A late "sent" is kept in the history but does not turn the status back.
        Map<String, String> late = callback("sent");
        assertThat(post(Fakes.ORG, EXECUTION, late, sign(Fakes.TOKEN, URL, late))).isEqualTo(204);
        assertThat(delivery()).containsEntry("status", "delivered");
        assertThat((List<?>) delivery().get("history")).hasSize(4);
        assertThat(meters.get("dooneflow.twilio.delivery.statuses").tags("organization", Fakes.ORG, "status", "sent")
                .counter().count()).as("every status Twilio reported, by organization").isEqualTo(2.0);
        assertThat(meters.get("dooneflow.twilio.delivery.statuses").tags("organization", Fakes.ORG, "status", "delivered")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void anUndeliveredMessageKeepsTwilioErrorCode() throws Exception {
        Map<String, String> params = callback("undelivered");
        params.put("ErrorCode", "30006");
        assertThat(post(Fakes.ORG, EXECUTION, params, sign(Fakes.TOKEN, URL, params))).isEqualTo(204);
        assertThat(delivery()).containsEntry("status", "undelivered").containsEntry("errorCode", "30006");
    }

    @Test
    void forgedMissingOrMisdirectedCallbacksAreRefusedAndChangeNothing() throws Exception {
        Map<String, String> params = callback("delivered");
        String good = sign(Fakes.TOKEN, URL, params);

        assertThatThrownBy(() -> post(Fakes.ORG, EXECUTION, params, null)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> post(Fakes.ORG, EXECUTION, params, sign("wrong-token", URL, params)))
                .isInstanceOf(ForbiddenException.class);
        Map<String, String> tampered = new LinkedHashMap<>(params);
        tampered.put("MessageStatus", "failed");
        assertThatThrownBy(() -> post(Fakes.ORG, EXECUTION, tampered, good)).isInstanceOf(ForbiddenException.class);
        // A valid signature for another step's URL does not fit this one.
        assertThatThrownBy(() -> post(Fakes.ORG, EXECUTION, params, sign(Fakes.TOKEN, URL.replace("/0", "/1"), params)))
                .isInstanceOf(ForbiddenException.class);
        // Another organization (with its own Twilio account) cannot write to this execution.
        settings.save("org-2", new TwilioSettingsInput(Fakes.ACCOUNT_SID, "another-token", Fakes.FROM, null));
        String otherUrl = URL.replace(Fakes.ORG, "org-2");
        assertThatThrownBy(() -> post("org-2", EXECUTION, params, sign("another-token", otherUrl, params)))
                .isInstanceOf(ForbiddenException.class);
        // A signed callback about another message.
        Map<String, String> otherMessage = callback("delivered");
        otherMessage.put("MessageSid", "SM" + "0".repeat(32));
        assertThatThrownBy(() -> post(Fakes.ORG, EXECUTION, otherMessage, sign(Fakes.TOKEN, URL, otherMessage)))
                .isInstanceOf(ForbiddenException.class);
        // An execution with no SMS on that step.
        assertThatThrownBy(() -> post(Fakes.ORG, "exec-unknown", params, good)).isInstanceOf(ForbiddenException.class);

        assertThat(journal.get(EXECUTION, 0, SendSmsAction.DELIVERY_NOTE)).isEmpty();
        // (meters of earlier tests in this JVM show here with 0)
        assertThat(meters.find("dooneflow.twilio.delivery.statuses").counters()).as("refused ones are not counted")
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(post(Fakes.ORG, EXECUTION, params, good)).isEqualTo(204);
    }
}
