package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.dooneflow.api.oauth.Pkce;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local OAuth 2.0 provider speaking the documented wire format of Microsoft's and Google's endpoints (RFC 6749 +
 * PKCE, RFC 7636): {@code GET /authorize} answers 302 to the redirect URI with a code and the state (the user
 * consented at once, or denied); {@code POST /token} exchanges a code (single use, same client, secret, redirect
 * URI, and a verifier matching the challenge) or a refresh token; {@code POST /introspect} answers Dovecot's
 * {@code oauth2} passdb as RFC 7662 does ({@code active}, {@code username}) for the access tokens it issued.
 */
final class FakeOAuthProvider implements AutoCloseable {

    static final String CLIENT_ID = "client-123";
    static final String CLIENT_SECRET = "client-secret-456";

    private record Code(String redirectUri, String challenge, String user) {
    }

    private final HttpServer server;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    /** Live access tokens and the user each signs in. */
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> introspected = ConcurrentHashMap.newKeySet();
    final AtomicInteger refreshes = new AtomicInteger();
    final AtomicInteger exchanges = new AtomicInteger();
    volatile long expiresInSeconds = 3600;
    volatile boolean deny;
    volatile String consentingUser = DovecotRig.USER;

    FakeOAuthProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/introspect", this::introspect);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The user withdrew consent (or an admin revoked it): every token of the grant stops working. */
    void revokeAll() {
        refreshTokens.clear();
        accessTokens.clear();
    }

    /** Access tokens issued so far no longer sign in (they expired); refresh tokens still work. */
    void expireAccessTokens() {
        accessTokens.clear();
    }

    /** Whether Dovecot asked about this access token. */
    boolean introspected(String token) {
        return introspected.contains(token);
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        String redirect = q.get("redirect_uri");
        String state = URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method"))) {
            send(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String location;
        if (deny) {
            location = redirect + "?error=access_denied&error_description=The+user+declined&state=" + state;
        } else {
            String code = UUID.randomUUID().toString();
            codes.put(code, new Code(redirect, q.get("code_challenge"), consentingUser));
            location = redirect + "?code=" + code + "&state=" + state;
        }
        x.getResponseHeaders().add("Location", location);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private void token(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!CLIENT_ID.equals(f.get("client_id")) || !CLIENT_SECRET.equals(f.get("client_secret"))) {
            send(x, 401, "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}");
            return;
        }
        String user;
        if ("authorization_code".equals(f.get("grant_type"))) {
            Code code = codes.remove(String.valueOf(f.get("code"))); // single use
            if (code == null || !code.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                    || !Pkce.challenge(f.get("code_verifier")).equals(code.challenge())) {
                send(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad code, redirect or verifier\"}");
                return;
            }
            exchanges.incrementAndGet();
            user = code.user();
        } else if ("refresh_token".equals(f.get("grant_type"))) {
            user = refreshTokens.get(String.valueOf(f.get("refresh_token")));
            if (user == null) {
                send(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50173: The provided grant"
                        + " has expired due to it being revoked\"}");
                return;
            }
            refreshes.incrementAndGet();
        } else {
            send(x, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String access = "at-" + UUID.randomUUID();
        String refresh = "rt-" + UUID.randomUUID();
        accessTokens.put(access, user);
        refreshTokens.remove(String.valueOf(f.get("refresh_token"))); // rotated, as Microsoft does
        refreshTokens.put(refresh, user);
        send(x, 200, "{\"token_type\":\"Bearer\",\"scope\":\"" + f.getOrDefault("scope", "") + "\",\"expires_in\":"
                + expiresInSeconds + ",\"access_token\":\"" + access + "\",\"refresh_token\":\"" + refresh + "\"}");
    }

    private void introspect(HttpExchange x) throws IOException {
        String token = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).get("token");
        introspected.add(String.valueOf(token));
        String user = token == null ? null : accessTokens.get(token);
        send(x, 200, user == null ? "{\"active\":false}" : "{\"active\":true,\"username\":\"" + user + "\"}");
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> form(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    /** Dovecot's oauth2 passdb, pointed at this provider's introspection endpoint (RFC 7662, POST). */
    String dovecotConfig(java.nio.file.Path dir) throws IOException {
        java.nio.file.Path ext = dir.resolve("dovecot-oauth2.conf.ext");
        java.nio.file.Files.writeString(ext, ""
                + "introspection_mode = post\n"
                + "introspection_url = " + url("/introspect") + "\n"
                + "username_attribute = username\n"
                + "active_attribute = active\n"
                + "active_value = true\n");
        return "auth_mechanisms = plain login xoauth2 oauthbearer\n"
                + "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = " + ext + "\n}\n";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
