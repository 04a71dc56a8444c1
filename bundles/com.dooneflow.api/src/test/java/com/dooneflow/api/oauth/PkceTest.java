package com.dooneflow.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

    @Test
    void theS256ChallengeIsRfc7636AppendixB() {
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void aVerifierIsUnreservedTextOfAllowedLengthAndNeverRepeats() {
        String first = Pkce.newVerifier();
        assertThat(first).hasSize(64).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.newVerifier()).isNotEqualTo(first);
        assertThat(Pkce.challenge(first)).hasSize(43).isNotEqualTo(Pkce.challenge(Pkce.newVerifier()));
    }
}
