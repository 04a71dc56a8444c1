package com.dooneflow.api.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code state} of an authorization request (RFC 6749 section 10.12): unguessable, bound to the one thing being
 * connected (its id leads the state, so the callback finds it), expiring, and good for one callback.
 * <p>
 * {@link #issue} gives the state to send and a pending record to keep with that thing, in its settings data: only a
 * hash of the state, who started, and until when. At the callback, under the thing's lock, {@link #check} the state
 * against the record, then remove the record whatever happens next (unless the verdict is {@link Check#UNKNOWN}):
 * removing it is what makes the state single-use. Issuing a new state replaces the record, so an older state dies.
 */
public final class OAuthState {

    /** What a callback's state came to. */
    public enum Check {
        /** Issued for this thing, not yet used, not expired. */
        ACCEPTED,
        /** Never issued for it, already used, or replaced by a newer one: nothing to spend. */
        UNKNOWN,
        /** Issued, but the time ran out: spend it and ask the user to start again. */
        EXPIRED
    }

    /** A new state: {@code value} goes to the provider, {@code pending} is kept with the thing until the callback. */
    public record Issued(String value, Map<String, Object> pending) {
    }

    private static final String STATE_HASH = "stateHash";
    private static final String USER_ID = "userId";
    private static final String EXPIRES_AT = "expiresAt";
    private static final int RANDOM_BYTES = 32;

    private OAuthState() {
    }

    /**
     * A new state for the thing with id {@code subjectId} (which must not contain a dot), started by {@code userId}
     * (may be null), valid until {@code expiresAt}.
     */
    public static Issued issue(String subjectId, String userId, Instant expiresAt) {
        if (subjectId == null || subjectId.isEmpty() || subjectId.indexOf('.') >= 0) {
            throw new IllegalArgumentException("the subject id must be non-empty and without a dot");
        }
        String value = subjectId + "." + Pkce.randomText(RANDOM_BYTES);
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put(STATE_HASH, hash(value));
        pending.put(USER_ID, userId);
        pending.put(EXPIRES_AT, expiresAt.toString());
        return new Issued(value, pending);
    }

    /** The id of the thing a state was issued for; empty when the state cannot be one of ours. */
    public static Optional<String> subjectId(String state) {
        int dot = state == null ? -1 : state.indexOf('.');
        return dot <= 0 ? Optional.empty() : Optional.of(state.substring(0, dot));
    }

    /**
     * Checks a callback's state against the pending record kept for the thing ({@code null}, or anything not written
     * by {@link #issue}, is {@link Check#UNKNOWN}). The hashes compare in constant time; an unreadable expiry counts
     * as expired.
     */
    public static Check check(String state, Object pending, Instant now) {
        if (state == null || !(pending instanceof Map<?, ?> p) || !MessageDigest.isEqual(
                hash(state).getBytes(StandardCharsets.US_ASCII),
                String.valueOf(p.get(STATE_HASH)).getBytes(StandardCharsets.US_ASCII))) {
            return Check.UNKNOWN;
        }
        try {
            return now.isBefore(Instant.parse(String.valueOf(p.get(EXPIRES_AT)))) ? Check.ACCEPTED : Check.EXPIRED;
        } catch (DateTimeParseException e) {
            return Check.EXPIRED;
        }
    }

    /** Who started the authorization of a pending record; null when nobody was named. */
    public static String startedBy(Object pending) {
        Object user = pending instanceof Map<?, ?> p ? p.get(USER_ID) : null;
        return user == null ? null : user.toString();
    }

    private static String hash(String state) {
        return HexFormat.of().formatHex(Pkce.sha256(state));
    }
}
