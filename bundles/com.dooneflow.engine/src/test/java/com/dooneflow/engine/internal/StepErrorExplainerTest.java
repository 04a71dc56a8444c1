package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepErrorExplainerTest {

    @Test
    void anUnknownHostSaysWhoCouldNotBeReachedAndThatNothingWasSent() {
        assertThat(StepErrorExplainer.explain(
                "Twilio could not be reached or did not answer in time (UnknownHostException: api.twilio.com)"))
                .isEqualTo("DooneFlow could not reach Twilio (unknown host api.twilio.com); nothing was sent.");
        assertThat(StepErrorExplainer.explain("Twilio could not be reached or did not answer in time "
                + "(UnknownHostException: api.twilio.com: Name or service not known)"))
                .isEqualTo("DooneFlow could not reach Twilio (unknown host api.twilio.com); nothing was sent.");
        assertThat(StepErrorExplainer.explain(
                "Twilio could not be reached, nothing was sent (UnknownHostException: api.twilio.com)"))
                .isEqualTo("DooneFlow could not reach Twilio (unknown host api.twilio.com); nothing was sent.");
        assertThat(StepErrorExplainer.explain("the host hooks.example.invalid cannot be resolved"))
                .isEqualTo("DooneFlow could not reach hooks.example.invalid (unknown host); nothing was sent.");
    }

    @Test
    void aRefusedConnectionLeftNothingAndGivingUpIsSaid() {
        assertThat(StepErrorExplainer.explain(
                "calling 127.0.0.1 failed: java.net.ConnectException: Connection refused (gave up after 5 attempts)"))
                .isEqualTo("DooneFlow could not reach 127.0.0.1 (connection refused); nothing was sent. "
                        + "DooneFlow gave up after 5 attempts.");
    }

    @Test
    void oneAttemptIsCountedInTheSingular() {
        assertThat(StepErrorExplainer.explain("the host h.invalid cannot be resolved (gave up after 1 attempts)"))
                .endsWith("nothing was sent. DooneFlow gave up after 1 attempt.");
    }

    @Test
    void aRefusedConnectionThroughTheTwilioClientIsRecognised() {
        assertThat(StepErrorExplainer.explain("Twilio could not be reached or did not answer in time "
                + "(HttpHostConnectException: Connect to http://127.0.0.1:36727 failed: Connection refused)"))
                .isEqualTo("DooneFlow could not reach Twilio (connection refused); nothing was sent.");
    }

    @Test
    void aTimeoutSaysTheRequestLeftAndMayHaveArrived() {
        assertThat(StepErrorExplainer.explain("no complete answer from hooks.example.com within 30 s"))
                .isEqualTo("DooneFlow sent the request but hooks.example.com did not answer in time; it may have arrived.");
        assertThat(StepErrorExplainer.explain("Twilio could not be reached or did not answer in time "
                + "(SocketTimeoutException: Read timed out)"))
                .isEqualTo("DooneFlow sent the request but Twilio did not answer in time; it may have arrived.");
    }

    @Test
    void anAnswerSaysThePeerReceivedTheRequest() {
        assertThat(StepErrorExplainer.explain("Twilio answered 503: Service unavailable"))
                .isEqualTo("Twilio received the request and answered 503: Service unavailable.");
        assertThat(StepErrorExplainer.explain("Salesforce refused the create: REQUIRED_FIELD_MISSING LastName"))
                .isEqualTo("Salesforce received the request and refused it: Salesforce refused the create: "
                        + "REQUIRED_FIELD_MISSING LastName.");
    }

    @Test
    void anUnknownOutcomeSaysItWasNotSentAgain() {
        assertThat(StepErrorExplainer.explain("outcome unknown — not re-sent: Twilio's answer could not be read."))
                .startsWith("It is not known whether")
                .contains("DooneFlow did not send it again: not re-sent: Twilio's answer could not be read.");
    }

    @Test
    void textItDoesNotRecogniseGetsNoExplanationRatherThanAGuess() {
        assertThat(StepErrorExplainer.explain("recipientType must be contact or team_member, not 'x'")).isNull();
        assertThat(StepErrorExplainer.explain(null)).isNull();
        assertThat(StepErrorExplainer.explain(" ")).isNull();
    }
}
