package com.dooneflow.api.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636) with the {@code S256} method: a connector keeps the verifier secret until it
 * exchanges the code, and sends only the challenge with the authorization request, so a stolen code is useless.
 */
public final class Pkce {

    /** The challenge method this class computes; the only one worth using. */
    public static final String METHOD = "S256";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int VERIFIER_BYTES = 48;

    private Pkce() {
    }

    /** A new verifier: 48 random bytes, base64url without padding (64 characters, within RFC 7636's 43 to 128). */
    public static String newVerifier() {
        return randomText(VERIFIER_BYTES);
    }

    /** The S256 challenge of a verifier: base64url (no padding) of its SHA-256. */
    public static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    /** {@code bytes} random bytes as base64url text without padding. */
    static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java runtime has SHA-256
        }
    }
}
