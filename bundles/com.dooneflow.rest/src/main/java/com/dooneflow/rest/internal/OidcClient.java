package com.dooneflow.rest.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * The OpenID Connect authorization code flow with PKCE, as a client of the configured provider: its discovery
 * document, the authorization request, the code exchange (client secret by HTTP Basic) and the ID token's checks
 * (Nimbus JOSE+JWT: signature by a key of the provider's JWKS with RS256 or ES256, issuer, audience, expiry, the
 * request's nonce). The answer is the email the provider vouches for.
 */
final class OidcClient {

    /** Why single sign-on failed, as a short code the console explains; the message is for the log. */
    static final class Failure extends Exception {
        final String code;

        Failure(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** What discovery says of the provider. */
    record Provider(String authorizationEndpoint, String tokenEndpoint, String jwksUri) {
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final OidcSettings settings;
    private final HttpClient http;

    OidcClient(OidcSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    Provider discover() throws Failure {
        JsonNode doc = json(get(settings.issuer() + "/.well-known/openid-configuration"), "discovery");
        if (!settings.issuer().equals(doc.path("issuer").asText().replaceAll("/+$", ""))) {
            throw new Failure("provider", "the discovery document names another issuer: " + doc.path("issuer").asText());
        }
        return new Provider(required(doc, "authorization_endpoint"), required(doc, "token_endpoint"),
                required(doc, "jwks_uri"));
    }

    URI authorizationUri(Provider provider, String state, String nonce, String verifier) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", settings.redirectUri());
        query.put("scope", "openid email profile");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        String endpoint = provider.authorizationEndpoint();
        return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + form(query));
    }

    /** Exchanges the code and checks the ID token; the email it vouches for. */
    String verifiedEmail(Provider provider, String code, String verifier, String nonce) throws Failure {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", settings.redirectUri());
        body.put("code_verifier", verifier);
        String basic = Base64.getEncoder().encodeToString((encode(settings.clientId()) + ":"
                + encode(settings.clientSecret())).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(provider.tokenEndpoint())).timeout(TIMEOUT)
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(form(body))).build());
        if (answer.statusCode() != 200) {
            throw new Failure("token", "the token endpoint answered " + answer.statusCode());
        }
        String idToken = json(answer, "token").path("id_token").asText(null);
        if (idToken == null) {
            throw new Failure("token", "the token endpoint sent no id_token");
        }
        JWTClaimsSet claims = check(idToken, provider, nonce);
        Object verified = claims.getClaim("email_verified");
        if (Boolean.FALSE.equals(verified) || "false".equals(verified)) {
            throw new Failure("email-not-verified", "the provider has not verified the email");
        }
        try {
            return claims.getStringClaim("email");
        } catch (ParseException e) {
            throw new Failure("id-token", "the ID token's email is no string");
        }
    }

    private JWTClaimsSet check(String idToken, Provider provider, String nonce) throws Failure {
        JWKSet keys;
        try {
            keys = JWKSet.parse(get(provider.jwksUri()).body());
        } catch (ParseException e) {
            throw new Failure("provider", "the provider's JWKS cannot be read: " + e.getMessage());
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.clientId(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).claim("nonce", nonce).build(),
                Set.of("sub", "iat", "exp", "email")));
        try {
            return processor.process(idToken, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new Failure("id-token", "the ID token was refused: " + e.getMessage());
        }
    }

    private HttpResponse<String> get(String url) throws Failure {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build());
        if (answer.statusCode() != 200) {
            throw new Failure("provider", url + " answered " + answer.statusCode());
        }
        return answer;
    }

    private HttpResponse<String> send(HttpRequest request) throws Failure {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw new Failure("provider", "the identity provider could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("provider", "interrupted");
        }
    }

    private static JsonNode json(HttpResponse<String> answer, String what) throws Failure {
        try {
            return Json.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            throw new Failure("provider", "the " + what + " answer is no JSON");
        }
    }

    private static String required(JsonNode doc, String field) throws Failure {
        String value = doc.path(field).asText("");
        if (value.isBlank()) {
            throw new Failure("provider", "the discovery document has no " + field);
        }
        return value;
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
