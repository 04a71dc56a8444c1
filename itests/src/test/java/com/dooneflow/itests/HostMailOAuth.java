package com.dooneflow.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A mail provider's OAuth 2.0 endpoints (RFC 6749 with PKCE, as Microsoft's and Google's) in the test JVM, outside
 * the distribution: {@code GET /authorize} consents at once and answers 302 to the redirect URI with a code;
 * {@code POST /token} exchanges the code (single use) or a refresh token for the access token that is
 * {@link HostMail}'s OAuth user's credential, valid 60 s (so every new IMAP connection refreshes it). The tests
 * inside the distribution read {@code GET /__fake/refreshes} and revoke the grant with {@code POST /__fake/revoke}.
 * Only the configuration methods (test JVM) touch this class.
 */
final class HostMailOAuth {

    static final String CLIENT_ID = "it-mail-client";
    static final String CLIENT_SECRET = "it-mail-client-secret";
    private static HttpServer server;
    private static final Map<String, String> CODES = new ConcurrentHashMap<>();
    private static final AtomicInteger REFRESHES = new AtomicInteger();
    private static final AtomicBoolean REVOKED = new AtomicBoolean();

    private HostMailOAuth() {
    }

    /** Starts the provider once; returns its base URL. */
    static synchronized String start() throws IOException {
        if (server == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/authorize", HostMailOAuth::authorize);
            server.createContext("/token", HostMailOAuth::token);
            server.createContext("/__fake/refreshes", x -> send(x, 200, String.valueOf(REFRESHES.get())));
            server.createContext("/__fake/revoke", x -> {
                REVOKED.set(true);
                send(x, 204, null);
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method"))) {
            send(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        CODES.put(code, q.get("redirect_uri"));
        REVOKED.set(false); // a new consent is a new grant
        x.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        send(x, 302, null);
    }

    private static void token(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!CLIENT_ID.equals(f.get("client_id")) || !CLIENT_SECRET.equals(f.get("client_secret"))) {
            send(x, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        if ("authorization_code".equals(f.get("grant_type"))) {
            String redirect = CODES.remove(String.valueOf(f.get("code")));
            if (redirect == null || !redirect.equals(f.get("redirect_uri")) || f.get("code_verifier") == null) {
                send(x, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
        } else if ("refresh_token".equals(f.get("grant_type"))) {
            if (REVOKED.get()) {
                send(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"the grant was revoked\"}");
                return;
            }
            REFRESHES.incrementAndGet();
        } else {
            send(x, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        send(x, 200, "{\"token_type\":\"Bearer\",\"expires_in\":60,\"access_token\":\"" + HostMail.OAUTH_TOKEN
                + "\",\"refresh_token\":\"rt-" + UUID.randomUUID() + "\"}");
    }

    /** A JSON answer (none when {@code json} is null); the fake providers of the itests share it. */
    static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** An {@code application/x-www-form-urlencoded} body as a map. */
    static Map<String, String> form(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }
}
