package com.dooneflow.api.store;

/**
 * An execution a worker holds. Every write about it passes {@code leaseToken}; a write after the lease was
 * lost (expired and reclaimed elsewhere) changes nothing and returns false.
 */
public record Claim(ExecutionRow execution, String leaseToken, int stepAttempts) {
}
