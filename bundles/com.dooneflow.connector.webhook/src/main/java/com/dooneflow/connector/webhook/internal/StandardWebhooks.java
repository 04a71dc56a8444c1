package com.dooneflow.connector.webhook.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks (standardwebhooks.com) signatures: {@code v1,} + Base64(HMAC-SHA256(key, id.timestamp.body))
 * where the key is the Base64 part of a {@code whsec_} secret. Written here rather than embedding the reference
 * library (not an OSGi bundle); checked against the specification's test vector.
 */
final class StandardWebhooks {

    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String PREFIX = "whsec_";

    private StandardWebhooks() {
    }

    /** The {@code webhook-signature} value for one message. */
    static String sign(String secret, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), id, timestamp, body));
    }

    /**
     * Checks one delivery; returns null when it is genuine, else why not (a sentence for the 401 problem).
     * Any of the space-separated signatures may match, so senders can rotate secrets.
     */
    static String verify(String secret, String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatures)) {
            return "The webhook-id, webhook-timestamp and webhook-signature headers are required.";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not a number of seconds.";
        }
        if (Math.abs(now.getEpochSecond() - ts) > TOLERANCE.toSeconds()) {
            return "webhook-timestamp is more than 5 minutes away from the current time.";
        }
        byte[] expected;
        try {
            expected = hmac(key(secret), id, ts, body);
        } catch (IllegalArgumentException e) {
            return "The signing secret of this webhook is not a valid whsec_ secret.";
        }
        for (String candidate : signatures.trim().split(" +")) {
            if (!candidate.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return null;
            }
        }
        return "No webhook-signature matches.";
    }

    /** Whether a secret gives a signing key: whsec_ and the Base64 of at least one byte. */
    static boolean isValidSecret(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return false;
        }
        try {
            return key(secret).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] key(String secret) {
        String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(b64.trim());
    }

    private static byte[] hmac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
