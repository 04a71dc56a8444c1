package com.dooneflow.connector.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Against the test vector published with the Standard Webhooks specification. */
class StandardWebhooksTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final Instant THEN = Instant.ofEpochSecond(TIMESTAMP);

    @Test
    void signsThePublishedTestVector() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesThePublishedTestVector() {
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", SIGNATURE, BODY, THEN)).isNull();
    }

    @Test
    void acceptsAnyOfSeveralSignatures() {
        String rotated = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1a,xyz " + SIGNATURE;
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", rotated, BODY, THEN)).isNull();
    }

    @Test
    void refusesAChangedBodyIdOrSignature() {
        byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", SIGNATURE, changed, THEN))
                .isEqualTo("No webhook-signature matches.");
        assertThat(StandardWebhooks.verify(SECRET, "msg_other", "1614265330", SIGNATURE, BODY, THEN)).isNotNull();
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", "v1,not-base64!", BODY, THEN)).isNotNull();
    }

    @Test
    void refusesTimestampsMoreThanFiveMinutesAway() {
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", SIGNATURE, BODY, THEN.plusSeconds(300))).isNull();
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", SIGNATURE, BODY, THEN.plusSeconds(301)))
                .contains("5 minutes");
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", SIGNATURE, BODY, THEN.minusSeconds(301)))
                .contains("5 minutes");
        assertThat(StandardWebhooks.verify(SECRET, ID, "soon", SIGNATURE, BODY, THEN)).contains("number");
    }

    @Test
    void requiresAllThreeHeaders() {
        assertThat(StandardWebhooks.verify(SECRET, null, "1614265330", SIGNATURE, BODY, THEN)).contains("required");
        assertThat(StandardWebhooks.verify(SECRET, ID, null, SIGNATURE, BODY, THEN)).contains("required");
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", " ", BODY, THEN)).contains("required");
    }
}
