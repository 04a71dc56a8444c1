package com.dooneflow.connector.salesforce.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.dooneflow.api.oauth.AuthorizationUrl;
import com.dooneflow.api.oauth.TokenRefusedException;
import com.dooneflow.api.oauth.TokenRequest;
import com.dooneflow.api.oauth.TokenResponse;

/**
 * Salesforce's OAuth 2.0 web server flow with PKCE (S256): the authorize URL, the code exchange and the
 * refresh-token grant against {@code {loginBase}/services/oauth2/...}.
 */
final class OAuthClient {

    /** The scopes the guide tells users to give their Connected App. */
    static final String SCOPE = "api refresh_token offline_access";

    private final SalesforceHttp http;

    OAuthClient(SalesforceHttp http) {
        this.http = http;
    }

    /** What the token endpoint answered; {@code refreshToken} is null when Salesforce did not issue a new one. */
    record Tokens(String accessToken, String refreshToken, String instanceUrl) {
    }

    /** Too many logins for now (Salesforce's {@code rate_limit_exceeded}): worth trying again later. */
    static boolean transientRefusal(TokenRefusedException e) {
        return "rate_limit_exceeded".equals(e.error());
    }

    static String authorizeUrl(String loginBase, String clientId, String redirectUri, String state, String verifier) {
        return AuthorizationUrl.code(loginBase + "/services/oauth2/authorize", clientId, redirectUri, SCOPE, state,
                verifier).build();
    }

    Tokens exchange(String loginBase, String clientId, String clientSecret, String redirectUri, String code,
                    String verifier) throws IOException, TokenRefusedException {
        return token(loginBase, clientSecret,
                TokenRequest.authorizationCode(code, clientId, clientSecret, redirectUri, verifier));
    }

    Tokens refresh(String loginBase, String clientId, String clientSecret, String refreshToken)
            throws IOException, TokenRefusedException {
        return token(loginBase, clientSecret, TokenRequest.refreshToken(refreshToken, clientId, clientSecret));
    }

    private Tokens token(String loginBase, String clientSecret, Map<String, String> form)
            throws IOException, TokenRefusedException {
        SalesforceHttp.Reply reply = http.send(http.request("POST", loginBase + "/services/oauth2/token")
                .header("Accept", "application/json").form(form));
        if (reply.status() >= 500) {
            throw new IOException("the Salesforce token endpoint answered " + reply.status());
        }
        TokenResponse answer = TokenResponse.parse(reply.status(), reply.body());
        String instance = answer.field("instance_url");
        if (instance == null) {
            throw new TokenRefusedException("invalid_response",
                    "the token endpoint's answer lacks access_token or instance_url");
        }
        String id = answer.field("id");
        String issuedAt = answer.field("issued_at");
        String signature = answer.field("signature");
        // Salesforce signs id + issued_at with the client secret: proves the answer came from our Connected App.
        if (signature != null && id != null && issuedAt != null
                && !MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
                sign(clientSecret, id + issuedAt).getBytes(StandardCharsets.UTF_8))) {
            throw new TokenRefusedException("invalid_signature",
                    "the token endpoint's answer is not signed with this client secret");
        }
        return new Tokens(answer.accessToken(), answer.refreshToken(), instance);
    }

    static String sign(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
