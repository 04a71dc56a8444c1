package com.dooneflow.api.oauth;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;

import com.dooneflow.api.json.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A token endpoint's successful answer (RFC 6749 section 5.1), read from the status and body of the HTTP exchange.
 * Tell the endpoint's own trouble (5xx, and 429 where the provider means "later") from a refusal before parsing:
 * that is worth retrying, a {@link TokenRefusedException} is not.
 */
public final class TokenResponse {

    private static final ObjectMapper JSON = Json.mapper();

    private final Map<String, Object> body;

    private TokenResponse(Map<String, Object> body) {
        this.body = body;
    }

    /**
     * The answer to a token request. Refused, with the endpoint's {@code error} and {@code error_description}, when
     * the status is not 2xx; refused as {@code invalid_response} when the body is not a JSON object or has no
     * {@code access_token}.
     */
    public static TokenResponse parse(int status, String body) throws TokenRefusedException {
        Map<String, Object> json;
        try {
            json = body == null ? null : JSON.readValue(body, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            json = null;
        }
        if (json == null) {
            throw new TokenRefusedException("invalid_response", "the token endpoint answered " + status
                    + " without JSON");
        }
        if (status < 200 || status >= 300) {
            throw new TokenRefusedException(String.valueOf(json.getOrDefault("error", "http_" + status)),
                    json.get("error_description") == null ? null : json.get("error_description").toString());
        }
        TokenResponse response = new TokenResponse(json);
        if (response.field("access_token") == null) {
            throw new TokenRefusedException("invalid_response", "the token endpoint's answer has no access_token");
        }
        return response;
    }

    public String accessToken() {
        return field("access_token");
    }

    /** Null when the endpoint issued none (the refresh token in use stays good). */
    public String refreshToken() {
        return field("refresh_token");
    }

    /** {@code expires_in} in seconds, as a number or as digits; empty when absent or unreadable. */
    public OptionalLong expiresIn() {
        Object expires = body.get("expires_in");
        if (expires instanceof Number n) {
            return OptionalLong.of(n.longValue());
        }
        return expires instanceof String s && s.matches("\\d{1,9}") ? OptionalLong.of(Long.parseLong(s))
                : OptionalLong.empty();
    }

    /** Any other member as text ({@code scope}, a provider's own such as {@code instance_url}); null when blank. */
    public String field(String name) {
        Object v = body.get(name);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }
}
