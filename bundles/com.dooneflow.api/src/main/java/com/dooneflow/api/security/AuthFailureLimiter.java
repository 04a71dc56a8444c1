package com.dooneflow.api.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed authentications per key (a client address, a token prefix, a webhook path) in fixed windows, so
 * that guessing is answered 429 once a key has more than {@code limit} failures in its window, and is logged once
 * per window instead of once per attempt.
 * <p>
 * Only failures are counted. Callers check the credential first and come here only when it was wrong, so a valid
 * caller is never refused or slowed because others failed from the same address. At most {@code maxKeys} keys are
 * kept: windows are kept in the order they started, and the oldest (expired ones first) make room for new ones,
 * so a spray of addresses costs bounded memory. Thread-safe; only failures take its lock.
 */
public final class AuthFailureLimiter {

    /**
     * What one failure means for its key. {@code first}: the first failure of the key's window (log it);
     * {@code tripped}: the failure that went over the limit (log and report it once); {@code limited}: over the
     * limit, answer 429 with {@code Retry-After: retryAfterSeconds}, the whole seconds until the window ends.
     */
    public record Verdict(int failures, boolean first, boolean tripped, boolean limited, long retryAfterSeconds) {
    }

    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    private final int limit;
    private final long windowMillis;
    private final int maxKeys;
    private final Clock clock;
    /** Insertion order is the order the windows started: the head is the oldest. */
    private final Map<String, Window> windows = new LinkedHashMap<>();

    /** {@code limit} failures per window and key before 429; 0 counts (for logging) but never limits. */
    public AuthFailureLimiter(int limit, Duration window, int maxKeys, Clock clock) {
        if (limit < 0 || window.isNegative() || window.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("limit >= 0, a positive window and maxKeys >= 1 are required");
        }
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Whether over-the-limit failures are answered 429 (a limit of 0 turns that off). */
    public boolean enabled() {
        return limit > 0;
    }

    public int limit() {
        return limit;
    }

    /** Records one failed authentication under {@code key}. */
    public synchronized Verdict fail(String key) {
        long now = clock.millis();
        dropExpired(now);
        Window w = windows.get(key);
        if (w == null) {
            while (windows.size() >= maxKeys) {
                Iterator<Window> oldest = windows.values().iterator();
                oldest.next();
                oldest.remove();
            }
            w = new Window(now);
            windows.put(key, w);
        }
        w.failures++;
        long left = Math.max(1, (w.start + windowMillis - now + 999) / 1000);
        boolean limited = enabled() && w.failures > limit;
        return new Verdict(w.failures, w.failures == 1, limited && w.failures == limit + 1, limited, left);
    }

    /**
     * The whole seconds until {@code key}'s window ends when the key is over the limit now, else 0. For a credential
     * that must not be checked at all once guessing is under way (a password, unlike a long random token, can be
     * guessed), the caller asks this first and answers 429 without checking.
     */
    public synchronized long limitedFor(String key) {
        long now = clock.millis();
        Window w = windows.get(key);
        if (!enabled() || w == null || w.failures <= limit || now >= w.start + windowMillis || now < w.start) {
            return 0;
        }
        return Math.max(1, (w.start + windowMillis - now + 999) / 1000);
    }

    /** The keys counted now (expired windows included until the next failure drops them). */
    public synchronized int size() {
        return windows.size();
    }

    /** Expired windows sit at the head, as windows start in insertion order. */
    private void dropExpired(long now) {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            Window w = it.next();
            if (now < w.start + windowMillis && now >= w.start) {
                return;
            }
            it.remove();
        }
    }

    /**
     * The key a client address is counted under: an IPv4 address as it is, an IPv6 address by its /64 network,
     * which one subscriber usually holds whole (counting each of its addresses apart would count nothing).
     */
    public static String addressKey(String address) {
        String a = address == null ? "" : address.trim().replaceAll("^\\[|]$", "").replaceFirst("%.*$", "");
        if (a.isEmpty()) {
            return "unknown";
        }
        if (a.indexOf(':') < 0 || !a.matches("[0-9A-Fa-f:.]+")) {
            return a;
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress(); // an IPv6 literal: parsed, never looked up
            if (b.length == 4) {
                return InetAddress.getByAddress(b).getHostAddress(); // IPv4-mapped
            }
            return String.format("%x:%x:%x:%x::/64", (b[0] & 0xff) << 8 | b[1] & 0xff, (b[2] & 0xff) << 8 | b[3] & 0xff,
                    (b[4] & 0xff) << 8 | b[5] & 0xff, (b[6] & 0xff) << 8 | b[7] & 0xff);
        } catch (UnknownHostException e) {
            return a;
        }
    }
}
