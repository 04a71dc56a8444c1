package com.dooneflow.engine.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.dooneflow.api.RetryPolicy;

/** Exponential backoff with ±20 % jitter; a server's Retry-After is honoured when it asks for longer. */
final class Backoff {

    static final Duration LONGEST_RETRY_AFTER = Duration.ofHours(1);

    private Backoff() {
    }

    /** The wait before the next try after {@code failedAttempts} failed tries (1 = the first failed). */
    static Duration delay(RetryPolicy policy, int failedAttempts, Duration retryAfter) {
        double base = policy.initialDelay() * Math.pow(2, Math.max(0, failedAttempts - 1));
        double capped = Math.min(base, policy.maxDelay());
        long jittered = Math.round(capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        Duration computed = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(computed) > 0) {
            return retryAfter.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter;
        }
        return computed;
    }
}
