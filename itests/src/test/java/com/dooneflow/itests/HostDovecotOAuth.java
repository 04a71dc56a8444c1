package com.dooneflow.itests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A mail provider's OAuth 2.0 endpoints in the test JVM, in the documented wire format of Microsoft's and Google's
 * (RFC 6749 with PKCE, RFC 7636): {@code GET /authorize} consents at once and answers 302 to the redirect URI with
 * a code; {@code POST /token} exchanges the code (single use, same redirect URI, a verifier matching the S256
 * challenge) or a refresh token, which it rotates as Microsoft does, for an access token valid 60 s (so each new
 * IMAP connection of the distribution refreshes first). {@code POST /introspect} answers {@link HostDovecot}'s
 * {@code oauth2} passdb as RFC 7662 does, so Dovecot signs in the XOAUTH2 tokens this provider issued and nothing
 * else. The tests inside the distribution read {@code GET /__fake/refreshes} and {@code GET /__fake/signed-in} (the
 * number of the refresh whose token Dovecot last accepted; 0: the consent's) and withdraw the grant with
 * {@code POST /__fake/revoke}, after which a refresh is {@code invalid_grant}. Only the configuration methods (test
 * JVM) touch this class.
 */
final class HostDovecotOAuth {

    static final String CLIENT_ID = "it-dovecot-client";
    static final String CLIENT_SECRET = "it-dovecot-client-secret";
    static final long LIFETIME_SECONDS = 60;

    private record Code(String redirectUri, String challenge) {
    }

    /** An access token: which refresh issued it (0: the code exchange) and when it expires. */
    private record Access(int refresh, long expiresAtMillis) {
    }

    private static HttpServer server;
    private static final Map<String, Code> CODES = new ConcurrentHashMap<>();
    private static final Map<String, Access> ACCESS = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> REFRESH = new ConcurrentHashMap<>();
    private static final AtomicInteger REFRESHES = new AtomicInteger();
    private static final AtomicInteger SIGNED_IN = new AtomicInteger(-1);

    private HostDovecotOAuth() {
    }

    /** Starts the provider once; returns its base URL. */
    static synchronized String start() throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/authorize", HostDovecotOAuth::authorize);
            server.createContext("/token", HostDovecotOAuth::token);
            server.createContext("/introspect", HostDovecotOAuth::introspect);
            server.createContext("/__fake/refreshes", x -> HostMailOAuth.send(x, 200, String.valueOf(REFRESHES.get())));
            server.createContext("/__fake/signed-in", x -> HostMailOAuth.send(x, 200, String.valueOf(SIGNED_IN.get())));
            server.createContext("/__fake/revoke", x -> {
                REFRESH.clear();
                ACCESS.clear();
                HostMailOAuth.send(x, 204, null);
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = HostMailOAuth.form(x.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            HostMailOAuth.send(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        CODES.put(code, new Code(q.get("redirect_uri"), q.get("code_challenge")));
        x.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        HostMailOAuth.send(x, 302, null);
    }

    private static void token(HttpExchange x) throws IOException {
        Map<String, String> f = HostMailOAuth.form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!CLIENT_ID.equals(f.get("client_id")) || !CLIENT_SECRET.equals(f.get("client_secret"))) {
            HostMailOAuth.send(x, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        int refresh;
        if ("authorization_code".equals(f.get("grant_type"))) {
            Code code = CODES.remove(String.valueOf(f.get("code"))); // single use
            if (code == null || !code.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                    || !s256(f.get("code_verifier")).equals(code.challenge())) {
                HostMailOAuth.send(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad code, redirect or verifier\"}");
                return;
            }
            refresh = 0;
        } else if ("refresh_token".equals(f.get("grant_type"))) {
            if (REFRESH.remove(String.valueOf(f.get("refresh_token"))) == null) { // rotated: each works once
                HostMailOAuth.send(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant"
                        + " has expired due to it being revoked\"}");
                return;
            }
            refresh = REFRESHES.incrementAndGet();
        } else {
            HostMailOAuth.send(x, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String access = "at-" + UUID.randomUUID();
        String next = "rt-" + UUID.randomUUID();
        ACCESS.put(access, new Access(refresh, System.currentTimeMillis() + LIFETIME_SECONDS * 1000));
        REFRESH.put(next, true);
        HostMailOAuth.send(x, 200, "{\"token_type\":\"Bearer\",\"expires_in\":" + LIFETIME_SECONDS + ",\"access_token\":\"" + access
                + "\",\"refresh_token\":\"" + next + "\"}");
    }

    private static void introspect(HttpExchange x) throws IOException {
        String token = HostMailOAuth.form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).get("token");
        Access access = token == null ? null : ACCESS.get(token);
        if (access == null || access.expiresAtMillis() < System.currentTimeMillis()) {
            HostMailOAuth.send(x, 200, "{\"active\":false}");
            return;
        }
        SIGNED_IN.set(access.refresh());
        HostMailOAuth.send(x, 200, "{\"active\":true,\"username\":\"" + HostDovecot.OAUTH_USER + "\"}");
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
