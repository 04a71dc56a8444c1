package com.dooneflow.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TokenRequestTest {

    @Test
    void theGrantsCarryTheirFieldsInOrderAndTakeMore() {
        assertThat(TokenRequest.authorizationCode("code-1", "client", "secret", "https://r", "verifier"))
                .containsExactly(Map.entry("grant_type", "authorization_code"), Map.entry("code", "code-1"),
                        Map.entry("client_id", "client"), Map.entry("client_secret", "secret"),
                        Map.entry("redirect_uri", "https://r"), Map.entry("code_verifier", "verifier"));

        Map<String, String> refresh = TokenRequest.refreshToken("rt", "client", "secret");
        refresh.put("scope", "imap");
        assertThat(refresh).containsExactly(Map.entry("grant_type", "refresh_token"), Map.entry("refresh_token", "rt"),
                Map.entry("client_id", "client"), Map.entry("client_secret", "secret"), Map.entry("scope", "imap"));
    }
}
