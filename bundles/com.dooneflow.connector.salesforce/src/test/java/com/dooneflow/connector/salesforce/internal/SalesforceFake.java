package com.dooneflow.connector.salesforce.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small stateful stand-in for Salesforce on loopback, speaking its documented OAuth 2.0 web server flow (with
 * PKCE) and REST shapes: authorize redirects, a token endpoint for authorization codes and refresh tokens (with
 * optional rotation), sObject create/update/upsert, Apex REST, and Salesforce's error arrays. One instance plays
 * both the login host and the instance. {@code /__fake/...} lets a test in another JVM drive and inspect it.
 */
public final class SalesforceFake implements AutoCloseable {

    public static final String CLIENT_ID = "3MVG9fake.client.id";
    public static final String CLIENT_SECRET = "fake-client-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** One request to the data or Apex API, as received. */
    public record Recorded(String method, String path, String authorization, String body) {
    }

    private record PendingCode(String clientId, String redirectUri, String challenge) {
    }

    private record Failure(int status, String errorCode, String message, List<String> fields, String retryAfter) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Object>> records = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile boolean rotateRefreshTokens;
    private volatile boolean denyNextAuthorization;
    private volatile Duration delayNext = Duration.ZERO;
    private volatile Duration refreshDelay = Duration.ZERO;
    private volatile Map<String, Object> nextTokenError;

    private SalesforceFake(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static SalesforceFake start() {
        try {
            return new SalesforceFake(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- driving the fake ----

    public void rotateRefreshTokens(boolean on) {
        rotateRefreshTokens = on;
    }

    public void denyNextAuthorization() {
        denyNextAuthorization = true;
    }

    /** Every access token issued so far stops working (sessions time out). */
    public void expireAccessTokens() {
        accessTokens.clear();
    }

    /** Every refresh token stops working (the user revoked the app). */
    public void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** The next data API call answers with this Salesforce error. */
    public synchronized void failNext(int status, String errorCode, String message, String... fields) {
        failures.add(new Failure(status, errorCode, message, List.of(fields), null));
    }

    /** The next data API call fails like {@link #failNext} and asks to come back later ({@code Retry-After}). */
    public synchronized void failNextRetryAfter(int status, String errorCode, String message, String retryAfter) {
        failures.add(new Failure(status, errorCode, message, List.of(), retryAfter));
    }

    /** The next data API call answers only after this delay. */
    public void delayNext(Duration delay) {
        delayNext = delay;
    }

    /** Refreshes take this long (widens the window in which concurrent callers could collide). */
    public void refreshDelay(Duration delay) {
        refreshDelay = delay;
    }

    /** The next token request is refused with this OAuth error (Salesforce answers 400 with it). */
    public void refuseNextTokenRequest(String error, String description) {
        nextTokenError = Map.of("error", error, "error_description", description);
    }

    public int refreshes() {
        return refreshes.get();
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Map<String, String>> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    public Map<String, Map<String, Object>> records() {
        return Map.copyOf(records);
    }

    public boolean isValidRefreshToken(String token) {
        return refreshTokens.contains(token);
    }

    public boolean isValidAccessToken(String token) {
        return accessTokens.contains(token);
    }

    /**
     * What the user's browser does with an authorize URL when the user approves: Salesforce answers with a
     * redirect to the callback, whose URL is returned.
     */
    public String approve(String authorizeUrl) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(authorizeUrl).toURL().openConnection();
        c.setInstanceFollowRedirects(false);
        try {
            if (c.getResponseCode() != 302) {
                throw new IOException("authorize answered " + c.getResponseCode());
            }
            return c.getHeaderField("Location");
        } finally {
            c.disconnect();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the server ----

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("/services/oauth2/authorize") && x.getRequestMethod().equals("GET")) {
                authorize(x);
            } else if (path.equals("/services/oauth2/token") && x.getRequestMethod().equals("POST")) {
                token(x, form(body));
            } else if (path.startsWith("/services/data/") || path.startsWith("/services/apexrest/")) {
                data(x, path, body);
            } else if (path.startsWith("/__fake/")) {
                admin(x, path, body);
            } else {
                send(x, 404, List.of(error("NOT_FOUND", "The requested resource does not exist")));
            }
        } catch (RuntimeException e) {
            send(x, 500, List.of(error("UNKNOWN_EXCEPTION", String.valueOf(e))));
        }
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || q.get("redirect_uri") == null
                || !"code".equals(q.get("response_type"))) {
            send(x, 400, Map.of("error", "invalid_client_id", "error_description", "client identifier invalid"));
            return;
        }
        String target;
        String state = q.get("state") == null ? "" : "&state=" + enc(q.get("state"));
        if (denyNextAuthorization) {
            denyNextAuthorization = false;
            target = q.get("redirect_uri") + "?error=access_denied&error_description="
                    + enc("end-user denied authorization") + state;
        } else {
            if (q.get("code_challenge") != null && !"S256".equals(q.get("code_challenge_method"))) {
                send(x, 400, Map.of("error", "invalid_request", "error_description", "unsupported challenge method"));
                return;
            }
            String code = "aPrx" + random(24);
            codes.put(code, new PendingCode(q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge")));
            target = q.get("redirect_uri") + "?code=" + enc(code) + state;
        }
        x.getResponseHeaders().set("Location", target);
        x.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange x, Map<String, String> f) throws IOException {
        tokenRequests.add(f);
        Map<String, Object> refusal = nextTokenError;
        if (refusal != null) {
            nextTokenError = null;
            send(x, 400, refusal);
            return;
        }
        if (!CLIENT_ID.equals(f.get("client_id")) || !CLIENT_SECRET.equals(f.get("client_secret"))) {
            send(x, 400, Map.of("error", "invalid_client", "error_description", "invalid client credentials"));
            return;
        }
        String grant = String.valueOf(f.get("grant_type"));
        String refreshToken = null;
        if (grant.equals("authorization_code")) {
            PendingCode pending = f.get("code") == null ? null : codes.remove(f.get("code"));
            if (pending == null || !pending.redirectUri().equals(f.get("redirect_uri"))) {
                send(x, 400, Map.of("error", "invalid_grant", "error_description", "invalid authorization code"));
                return;
            }
            if (pending.challenge() != null && (f.get("code_verifier") == null
                    || !pending.challenge().equals(s256(f.get("code_verifier"))))) {
                send(x, 400, Map.of("error", "invalid_grant", "error_description", "invalid code verifier"));
                return;
            }
            refreshToken = "5Aep" + random(32);
            refreshTokens.add(refreshToken);
        } else if (grant.equals("refresh_token")) {
            refreshes.incrementAndGet();
            sleep(refreshDelay);
            String old = f.get("refresh_token");
            if (old == null || !refreshTokens.contains(old)) {
                send(x, 400, Map.of("error", "invalid_grant", "error_description", "expired access/refresh token"));
                return;
            }
            if (rotateRefreshTokens) {
                refreshTokens.remove(old);
                refreshToken = "5Aep" + random(32);
                refreshTokens.add(refreshToken);
            }
        } else {
            send(x, 400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
            return;
        }
        String access = "00Dfake!" + random(40);
        accessTokens.add(access);
        String issuedAt = String.valueOf(System.currentTimeMillis());
        String id = baseUrl() + "/id/00Dfake000000001/005fake000000001";
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", access);
        if (refreshToken != null) {
            answer.put("refresh_token", refreshToken);
        }
        answer.put("signature", hmac(CLIENT_SECRET, id + issuedAt));
        answer.put("scope", "refresh_token api");
        answer.put("instance_url", baseUrl());
        answer.put("id", id);
        answer.put("token_type", "Bearer");
        answer.put("issued_at", issuedAt);
        send(x, 200, answer);
    }

    private void data(HttpExchange x, String path, String body) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        requests.add(new Recorded(x.getRequestMethod(), path, auth, body));
        if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.contains(auth.substring(7))) {
            send(x, 401, List.of(error("INVALID_SESSION_ID", "Session expired or invalid")));
            return;
        }
        Duration delay = delayNext;
        delayNext = Duration.ZERO;
        sleep(delay);
        Failure failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure != null) {
            Map<String, Object> e = new LinkedHashMap<>(error(failure.errorCode(), failure.message()));
            e.put("fields", failure.fields());
            if (failure.retryAfter() != null) {
                x.getResponseHeaders().set("Retry-After", failure.retryAfter());
            }
            send(x, failure.status(), List.of(e));
            return;
        }
        x.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + requests.size() + "/15000");
        if (path.startsWith("/services/apexrest/")) {
            Map<String, Object> echo = new LinkedHashMap<>();
            echo.put("method", x.getRequestMethod());
            echo.put("path", path.substring("/services/apexrest/".length()));
            echo.put("received", body.isEmpty() ? null : JSON.readValue(body, Object.class));
            send(x, 200, echo);
            return;
        }
        String[] parts = path.split("/"); // "", services, data, vNN.N, sobjects, Object, ...
        if (parts.length < 6 || !parts[4].equals("sobjects") || !parts[3].matches("v\\d+\\.\\d")) {
            send(x, 404, List.of(error("NOT_FOUND", "The requested resource does not exist")));
            return;
        }
        String object = parts[5];
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = body.isEmpty() ? Map.of() : JSON.readValue(body, Map.class);
        if (x.getRequestMethod().equals("POST") && parts.length == 6) {
            String id = newId(object);
            Map<String, Object> record = new LinkedHashMap<>(fields);
            record.put("attributes", Map.of("type", object));
            records.put(id, record);
            send(x, 201, Map.of("id", id, "success", true, "errors", List.of()));
        } else if (x.getRequestMethod().equals("PATCH") && parts.length == 7) {
            Map<String, Object> record = records.get(parts[6]);
            if (record == null) {
                send(x, 404, List.of(error("NOT_FOUND", "The requested resource does not exist")));
                return;
            }
            record.putAll(fields);
            x.sendResponseHeaders(204, -1);
        } else if (x.getRequestMethod().equals("PATCH") && parts.length == 8) {
            String field = parts[6];
            String value = URLDecoder.decode(parts[7], StandardCharsets.UTF_8);
            for (Map.Entry<String, Map<String, Object>> r : records.entrySet()) {
                if (value.equals(String.valueOf(r.getValue().get(field)))) {
                    r.getValue().putAll(fields);
                    send(x, 200, Map.of("id", r.getKey(), "success", true, "errors", List.of(), "created", false));
                    return;
                }
            }
            String id = newId(object);
            Map<String, Object> record = new LinkedHashMap<>(fields);
            record.put(field, value);
            record.put("attributes", Map.of("type", object));
            records.put(id, record);
            send(x, 201, Map.of("id", id, "success", true, "errors", List.of(), "created", true));
        } else {
            send(x, 405, List.of(error("METHOD_NOT_ALLOWED", "HTTP Method '" + x.getRequestMethod()
                    + "' not allowed")));
        }
    }

    /** For tests in another JVM (the itests drive this fake from inside the distribution). */
    private void admin(HttpExchange x, String path, String body) throws IOException {
        switch (path) {
            case "/__fake/requests" -> send(x, 200, requests);
            case "/__fake/records" -> send(x, 200, records);
            case "/__fake/state" -> send(x, 200, Map.of("refreshes", refreshes.get(),
                    "accessTokens", List.copyOf(accessTokens), "refreshTokens", List.copyOf(refreshTokens)));
            case "/__fake/expire-access-tokens" -> {
                expireAccessTokens();
                send(x, 200, Map.of("ok", true));
            }
            case "/__fake/revoke-refresh-tokens" -> {
                revokeRefreshTokens();
                send(x, 200, Map.of("ok", true));
            }
            default -> send(x, 404, Map.of("error", "no such admin endpoint"));
        }
    }

    // ---- helpers ----

    private static Map<String, Object> error(String code, String message) {
        return Map.of("message", message, "errorCode", code);
    }

    private static void send(HttpExchange x, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String newId(String object) {
        String prefix = object.equals("Lead") ? "00Q" : object.equals("Contact") ? "003" : "a0B";
        return prefix + random(15, ID_CHARS);
    }

    private static String random(int n) {
        return random(n, ID_CHARS);
    }

    private static String random(int n, String chars) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(RANDOM.nextInt(chars.length())));
        }
        return sb.toString();
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis()); // the fake is slow on purpose (timeouts, refresh races), not the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
