package com.dooneflow.api;

/**
 * How a step retries transient failures: up to {@code maxAttempts} tries in all, waiting
 * {@code initialDelayMillis} before the second, doubling each time up to {@code maxDelayMillis}, with jitter.
 */
public record RetryPolicy(Integer maxAttempts, Long initialDelayMillis, Long maxDelayMillis) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(5, 1000L, 5 * 60_000L);

    public int attempts() {
        return maxAttempts == null ? DEFAULT.maxAttempts : maxAttempts;
    }

    public long initialDelay() {
        return initialDelayMillis == null ? DEFAULT.initialDelayMillis : initialDelayMillis;
    }

    public long maxDelay() {
        return maxDelayMillis == null ? DEFAULT.maxDelayMillis : maxDelayMillis;
    }
}
