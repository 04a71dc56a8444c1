package com.dooneflow.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID Connect provider on loopback for tests: discovery, an authorization endpoint that signs in whoever
 * {@link #signIn} names and redirects back with a code, a token endpoint that checks the client's secret, the
 * redirect URI and the PKCE verifier and answers an RS256-signed ID token, and the JWKS with its public key.
 * {@link #tamper} makes it misbehave the ways a test needs.
 */
public final class LocalOidcProvider implements AutoCloseable {

    /** What the provider does wrong, for tests of the client's checks. */
    public enum Tamper { NONE, FOREIGN_KEY, OTHER_AUDIENCE, OTHER_NONCE, EXPIRED, UNVERIFIED_EMAIL }

    public static final String CLIENT_ID = "dooneflow-console";
    public static final String CLIENT_SECRET = "client secret of the console";

    private record Grant(String email, String nonce, String challenge, String redirectUri) {
    }

    private final HttpServer server;
    private final RSAKey key;
    private final RSAKey foreignKey;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private volatile String email = "sso.user@example.com";
    private volatile Tamper tamper = Tamper.NONE;

    public LocalOidcProvider() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        foreignKey = new RSAKeyGenerator(2048).keyID("key-1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", x -> send(x, 200, "{\"issuer\":\"" + issuer()
                + "\",\"authorization_endpoint\":\"" + issuer() + "/authorize\",\"token_endpoint\":\"" + issuer()
                + "/token\",\"jwks_uri\":\"" + issuer() + "/jwks\",\"response_types_supported\":[\"code\"],"
                + "\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
        server.createContext("/jwks", x -> send(x, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Who the next authorization signs in. */
    public void signIn(String email) {
        this.email = email;
    }

    public void tamper(Tamper tamper) {
        this.tamper = tamper;
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = query(x.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            send(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(email, q.get("nonce"), q.get("code_challenge"), q.get("redirect_uri")));
        x.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private void token(HttpExchange x) throws IOException {
        Map<String, String> form = query(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":"
                + java.net.URLEncoder.encode(CLIENT_SECRET, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
            send(x, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Grant grant = codes.remove(String.valueOf(form.get("code")));
        if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri"))
                || !grant.challenge().equals(challenge(String.valueOf(form.get("code_verifier"))))) {
            send(x, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            send(x, 200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken(grant) + "\"}");
        } catch (JOSEException e) {
            send(x, 500, "{}");
        }
    }

    private String idToken(Grant grant) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).subject("sub-" + grant.email())
                .audience(tamper == Tamper.OTHER_AUDIENCE ? "another-client" : CLIENT_ID)
                .claim("nonce", tamper == Tamper.OTHER_NONCE ? "another nonce" : grant.nonce())
                .claim("email", grant.email()).claim("email_verified", tamper != Tamper.UNVERIFIED_EMAIL)
                .issueTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(tamper == Tamper.EXPIRED ? now.minusSeconds(600) : now.plusSeconds(300)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(), claims);
        jwt.sign(new RSASSASigner(tamper == Tamper.FOREIGN_KEY ? foreignKey : key));
        return jwt.serialize();
    }

    private static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> fields = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return fields;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** The code and state the provider's redirect to {@code location} carries. */
    public static Map<String, String> redirectQuery(URI location) {
        return query(location.getRawQuery());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
