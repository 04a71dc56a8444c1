package com.dooneflow.api.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The address a connector sends the browser to for consent: an authorization code request with a PKCE S256
 * challenge, plus whatever a provider asks for besides ({@code login_hint}, {@code prompt}...).
 *
 * <pre>{@code
 * String url = AuthorizationUrl.code(authorizeEndpoint, clientId, redirectUri, scope, state.value(), verifier)
 *         .param("login_hint", emailAddress)
 *         .build();
 * }</pre>
 */
public final class AuthorizationUrl {

    private final StringBuilder url;

    private AuthorizationUrl(String endpoint) {
        this.url = new StringBuilder(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * {@code response_type=code} with the client, redirect URI, scope, state and the challenge of {@code verifier},
     * appended to the endpoint's own query if it has one. Every value is URL-encoded.
     */
    public static AuthorizationUrl code(String endpoint, String clientId, String redirectUri, String scope,
                                        String state, String verifier) {
        return new AuthorizationUrl(endpoint)
                .param("response_type", "code")
                .param("client_id", Objects.requireNonNull(clientId, "clientId"))
                .param("redirect_uri", Objects.requireNonNull(redirectUri, "redirectUri"))
                .param("scope", Objects.requireNonNull(scope, "scope"))
                .param("state", Objects.requireNonNull(state, "state"))
                .param("code_challenge", Pkce.challenge(Objects.requireNonNull(verifier, "verifier")))
                .param("code_challenge_method", Pkce.METHOD);
    }

    /** One more parameter, after those already there; none when {@code value} is null. */
    public AuthorizationUrl param(String name, String value) {
        if (value != null) {
            url.append(url.indexOf("?") < 0 ? '?' : '&').append(encode(Objects.requireNonNull(name, "name")))
                    .append('=').append(encode(value));
        }
        return this;
    }

    public String build() {
        return url.toString();
    }

    @Override
    public String toString() {
        return build();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
