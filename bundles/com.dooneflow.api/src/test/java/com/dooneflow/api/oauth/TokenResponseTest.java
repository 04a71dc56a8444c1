package com.dooneflow.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class TokenResponseTest {

    @Test
    void aTokenAnswerGivesItsTokensAndLifetime() throws Exception {
        TokenResponse r = TokenResponse.parse(200, "{\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\","
                + "\"expires_in\":3599,\"token_type\":\"Bearer\",\"instance_url\":\"https://x.my.salesforce.com\"}");

        assertThat(r.accessToken()).isEqualTo("at-1");
        assertThat(r.refreshToken()).isEqualTo("rt-1");
        assertThat(r.expiresIn()).hasValue(3599);
        assertThat(r.field("instance_url")).isEqualTo("https://x.my.salesforce.com");
        assertThat(r.field("scope")).isNull();
    }

    @Test
    void aLifetimeMayComeAsDigitsAndRefreshTokensMayBeAbsent() throws Exception {
        TokenResponse digits = TokenResponse.parse(200, "{\"access_token\":\"at\",\"expires_in\":\"3600\"}");
        assertThat(digits.expiresIn()).hasValue(3600);
        assertThat(digits.refreshToken()).isNull();

        assertThat(TokenResponse.parse(200, "{\"access_token\":\"at\",\"expires_in\":\"soon\",\"refresh_token\":\" \"}"))
                .satisfies(r -> assertThat(r.expiresIn()).isEmpty())
                .satisfies(r -> assertThat(r.refreshToken()).isNull());
    }

    @Test
    void invalidGrantMeansTheUserMustReconnect() {
        TokenRefusedException e = refused(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}");

        assertThat(e.error()).isEqualTo("invalid_grant");
        assertThat(e.needsReconnect()).isTrue();
        assertThat(e).hasMessage("invalid_grant: expired access/refresh token");
    }

    @Test
    void otherRefusalsSayWhatTheEndpointSaidAndDoNotAskForAReconnect() {
        TokenRefusedException client = refused(401, "{\"error\":\"invalid_client\"}");
        assertThat(client.needsReconnect()).isFalse();
        assertThat(client).hasMessage("invalid_client");

        TokenRefusedException unnamed = refused(403, "{\"message\":\"forbidden\"}");
        assertThat(unnamed.error()).isEqualTo("http_403");
    }

    @Test
    void answersThatAreNotTokensAreInvalidResponses() {
        assertThat(refused(200, "<html>login</html>")).hasMessage("invalid_response: the token endpoint answered 200"
                + " without JSON");
        assertThat(refused(400, "[]").error()).isEqualTo("invalid_response");
        assertThat(refused(200, "null").error()).isEqualTo("invalid_response");
        assertThat(refused(200, "{\"token_type\":\"Bearer\"}"))
                .hasMessage("invalid_response: the token endpoint's answer has no access_token");
    }

    private static TokenRefusedException refused(int status, String body) {
        return catchThrowableOfType(TokenRefusedException.class, () -> TokenResponse.parse(status, body));
    }
}
