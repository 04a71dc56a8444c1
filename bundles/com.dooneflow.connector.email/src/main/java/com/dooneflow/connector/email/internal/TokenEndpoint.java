package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.dooneflow.api.json.Json;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An OAuth 2.0 provider's token endpoint (RFC 6749): the authorization-code grant with PKCE and the refresh-token
 * grant, plus the authorize URL the browser is sent to. Calls go through the installation's {@link OutboundHttp}
 * (its guard checks the one DNS lookup; no redirects, no automatic retries, timeouts always); plain http only to a
 * host an administrator allow-listed (a local test double), since tokens travel over it.
 */
final class TokenEndpoint {

    static final int READ_LIMIT = 64 * 1024;
    private static final ObjectMapper JSON = Json.mapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutboundHttp http;
    private final Duration timeout;

    /** What the token endpoint answered; {@code refreshToken} is null when the provider kept the old one. */
    record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    /** The token endpoint refused ({@code invalid_grant} and such): retrying will not help. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String error;

        Refused(String error, String description) {
            super(description == null || description.isBlank() ? error : error + ": " + description);
            this.error = error;
        }

        /** The grant is gone (revoked, expired, the password changed): the user must consent again. */
        boolean invalidGrant() {
            return "invalid_grant".equals(error);
        }
    }

    TokenEndpoint(OutboundHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    static String authorizeUrl(OAuthApp app, String redirectUri, String state, String verifier, String loginHint) {
        String base = app.effectiveAuthorizeUrl();
        return base + (base.contains("?") ? "&" : "?") + "response_type=code"
                + "&client_id=" + enc(app.clientId())
                + "&redirect_uri=" + enc(redirectUri)
                + "&scope=" + enc(app.effectiveScopes())
                + "&state=" + enc(state)
                + "&code_challenge=" + challenge(verifier)
                + "&code_challenge_method=S256"
                + (loginHint == null ? "" : "&login_hint=" + enc(loginHint))
                + app.extraAuthorizeParams();
    }

    Tokens exchange(OAuthApp app, String clientSecret, String redirectUri, String code, String verifier)
            throws IOException, Refused {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("client_id", app.clientId());
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return token(app, form);
    }

    Tokens refresh(OAuthApp app, String clientSecret, String refreshToken) throws IOException, Refused {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", app.clientId());
        form.put("client_secret", clientSecret);
        form.put("scope", app.effectiveScopes());
        return token(app, form);
    }

    private Tokens token(OAuthApp app, Map<String, String> form) throws IOException, Refused {
        String url = checkUrl(app.effectiveTokenUrl());
        OutboundResponse response = http.send(OutboundRequest.post(url).header("Accept", "application/json")
                .form(form).timeout(timeout).connectTimeout(timeout).maxResponseBytes(READ_LIMIT).build());
        int status = response.status();
        String text = response.text();
        if (status >= 500 || status == 429) {
            throw new IOException("the token endpoint " + URI.create(url).getHost() + " answered " + status);
        }
        Map<String, Object> body;
        try {
            body = JSON.readValue(text, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            throw new Refused("invalid_response", "the token endpoint answered " + status + " without JSON");
        }
        if (status < 200 || status >= 300) {
            throw new Refused(String.valueOf(body.getOrDefault("error", "http_" + status)),
                    body.get("error_description") == null ? null : body.get("error_description").toString());
        }
        String access = string(body, "access_token");
        if (access == null) {
            throw new Refused("invalid_response", "the token endpoint's answer has no access_token");
        }
        Object expires = body.get("expires_in");
        long expiresIn = expires instanceof Number n ? n.longValue()
                : expires instanceof String s && s.matches("\\d{1,9}") ? Long.parseLong(s) : 3600;
        return new Tokens(access, string(body, "refresh_token"), expiresIn);
    }

    /** A token URL we may send secrets to: https, or http to an allow-listed (non-public) host only. */
    String checkUrl(String url) throws IOException {
        URI uri;
        try {
            uri = OutboundGuard.checkUrl(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("the token URL " + url + " " + e.getMessage());
        }
        if (uri.getScheme().toLowerCase(Locale.ROOT).equals("http") && !allowListed(uri.getHost())) {
            throw new IOException("the token URL must use https (plain http only for a host an administrator "
                    + "allowed with " + OutboundGuard.ENV + ")");
        }
        return url;
    }

    private boolean allowListed(String host) {
        try {
            InetAddress[] addresses = http.guard().resolve(host);
            for (InetAddress a : addresses) {
                if (OutboundGuard.isPublic(a)) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
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

    private static String string(Map<String, Object> body, String key) {
        Object v = body.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
