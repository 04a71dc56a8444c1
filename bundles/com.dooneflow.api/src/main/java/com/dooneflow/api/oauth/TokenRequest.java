package com.dooneflow.api.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The form fields of the two grants a connector sends to a token endpoint (RFC 6749 sections 4.1.3 and 6), with the
 * client authenticating in the body. Post them with {@code OutboundRequest.post(tokenUrl).form(fields)} and read the
 * answer with {@link TokenResponse#parse}.
 */
public final class TokenRequest {

    private TokenRequest() {
    }

    /** Exchanges an authorization code, proving the PKCE verifier; a mutable map in the order sent. */
    public static Map<String, String> authorizationCode(String code, String clientId, String clientSecret,
                                                        String redirectUri, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return form;
    }

    /** Asks for a fresh access token with a refresh token; a mutable map in the order sent (add {@code scope}...). */
    public static Map<String, String> refreshToken(String refreshToken, String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return form;
    }
}
