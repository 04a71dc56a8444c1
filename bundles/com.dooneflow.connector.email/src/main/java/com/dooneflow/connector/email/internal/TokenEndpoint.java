package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.dooneflow.api.oauth.AuthorizationUrl;
import com.dooneflow.api.oauth.TokenRefusedException;
import com.dooneflow.api.oauth.TokenRequest;
import com.dooneflow.api.oauth.TokenResponse;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundResponse;

/**
 * An OAuth 2.0 provider's token endpoint (RFC 6749): the authorization-code grant with PKCE and the refresh-token
 * grant, plus the authorize URL the browser is sent to. Calls go through the installation's {@link OutboundHttp}
 * (its guard checks the one DNS lookup; no redirects, no automatic retries, timeouts always); plain http only to a
 * host an administrator allow-listed (a local test double), since tokens travel over it.
 */
final class TokenEndpoint {

    static final int READ_LIMIT = 64 * 1024;
    /** Seconds an access token is taken to last when the provider does not say. */
    static final long DEFAULT_EXPIRES_IN = 3600;

    private final OutboundHttp http;
    private final Duration timeout;

    /** What the token endpoint answered; {@code refreshToken} is null when the provider kept the old one. */
    record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    TokenEndpoint(OutboundHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    static String authorizeUrl(OAuthApp app, String redirectUri, String state, String verifier, String loginHint) {
        return AuthorizationUrl.code(app.effectiveAuthorizeUrl(), app.clientId(), redirectUri, app.effectiveScopes(),
                state, verifier).param("login_hint", loginHint).build() + app.extraAuthorizeParams();
    }

    Tokens exchange(OAuthApp app, String clientSecret, String redirectUri, String code, String verifier)
            throws IOException, TokenRefusedException {
        return token(app, TokenRequest.authorizationCode(code, app.clientId(), clientSecret, redirectUri, verifier));
    }

    Tokens refresh(OAuthApp app, String clientSecret, String refreshToken) throws IOException, TokenRefusedException {
        Map<String, String> form = TokenRequest.refreshToken(refreshToken, app.clientId(), clientSecret);
        form.put("scope", app.effectiveScopes());
        return token(app, form);
    }

    private Tokens token(OAuthApp app, Map<String, String> form) throws IOException, TokenRefusedException {
        String url = checkUrl(app.effectiveTokenUrl());
        OutboundResponse response = http.send(OutboundRequest.post(url).header("Accept", "application/json")
                .form(form).timeout(timeout).connectTimeout(timeout).maxResponseBytes(READ_LIMIT).build());
        int status = response.status();
        if (status >= 500 || status == 429) {
            throw new IOException("the token endpoint " + URI.create(url).getHost() + " answered " + status);
        }
        TokenResponse answer = TokenResponse.parse(status, response.text());
        return new Tokens(answer.accessToken(), answer.refreshToken(), answer.expiresIn().orElse(DEFAULT_EXPIRES_IN));
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
}
