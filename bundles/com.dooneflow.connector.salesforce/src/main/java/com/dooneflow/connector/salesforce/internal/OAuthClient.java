package com.dooneflow.connector.salesforce.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * Salesforce's OAuth 2.0 web server flow with PKCE (S256): the authorize URL, the code exchange and the
 * refresh-token grant against {@code {loginBase}/services/oauth2/...}.
 */
final class OAuthClient {

    /** The scopes the guide tells users to give their Connected App. */
    static final String SCOPE = "api refresh_token offline_access";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SalesforceHttp http;

    OAuthClient(SalesforceHttp http) {
        this.http = http;
    }

    /** What the token endpoint answered; {@code refreshToken} is null when Salesforce did not issue a new one. */
    record Tokens(String accessToken, String refreshToken, String instanceUrl) {
    }

    /** The token endpoint refused (invalid_grant and such): not worth retrying. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String error;

        Refused(String error, String description) {
            super(description == null || description.isBlank() ? error : error + ": " + description);
            this.error = error;
        }

        boolean invalidGrant() {
            return "invalid_grant".equals(error);
        }

        /** Too many logins for now (Salesforce's {@code rate_limit_exceeded}): worth trying again later. */
        boolean transientRefusal() {
            return "rate_limit_exceeded".equals(error);
        }
    }

    static String authorizeUrl(String loginBase, String clientId, String redirectUri, String state, String verifier) {
        return loginBase + "/services/oauth2/authorize?response_type=code"
                + "&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(redirectUri)
                + "&scope=" + enc(SCOPE)
                + "&state=" + enc(state)
                + "&code_challenge=" + challenge(verifier)
                + "&code_challenge_method=S256";
    }

    Tokens exchange(String loginBase, String clientId, String clientSecret, String redirectUri, String code,
                    String verifier) throws IOException, Refused {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return token(loginBase, clientSecret, form);
    }

    Tokens refresh(String loginBase, String clientId, String clientSecret, String refreshToken)
            throws IOException, Refused {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return token(loginBase, clientSecret, form);
    }

    private Tokens token(String loginBase, String clientSecret, Map<String, String> form) throws IOException, Refused {
        SalesforceHttp.Reply reply = http.send(http.request("POST", loginBase + "/services/oauth2/token")
                .header("Accept", "application/json").form(form));
        Map<String, Object> body;
        try {
            body = Json.MAPPER.readValue(reply.body(), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            if (reply.status() >= 500) {
                throw new IOException("the Salesforce token endpoint answered " + reply.status());
            }
            throw new Refused("invalid_response", "the token endpoint answered " + reply.status() + " without JSON");
        }
        if (!reply.ok()) {
            if (reply.status() >= 500) {
                throw new IOException("the Salesforce token endpoint answered " + reply.status());
            }
            throw new Refused(String.valueOf(body.getOrDefault("error", "http_" + reply.status())),
                    body.get("error_description") == null ? null : body.get("error_description").toString());
        }
        String access = string(body, "access_token");
        String instance = string(body, "instance_url");
        if (access == null || instance == null) {
            throw new Refused("invalid_response", "the token endpoint's answer lacks access_token or instance_url");
        }
        String id = string(body, "id");
        String issuedAt = string(body, "issued_at");
        String signature = string(body, "signature");
        // Salesforce signs id + issued_at with the client secret: proves the answer came from our Connected App.
        if (signature != null && id != null && issuedAt != null
                && !MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8),
                sign(clientSecret, id + issuedAt).getBytes(StandardCharsets.UTF_8))) {
            throw new Refused("invalid_signature", "the token endpoint's answer is not signed with this client secret");
        }
        return new Tokens(access, string(body, "refresh_token"), instance);
    }

    static String newVerifier() {
        return random(48);
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static String string(Map<String, Object> body, String key) {
        Object v = body.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
