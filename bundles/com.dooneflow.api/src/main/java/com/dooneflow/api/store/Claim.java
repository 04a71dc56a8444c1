package com.dooneflow.api.store;

/**
 * An execution a worker holds. Every write about it passes {@code leaseToken}; a write after the lease was
 * lost (expired and reclaimed elsewhere) changes nothing and returns false. {@code interrupted} says the
 * execution was taken over from a holder whose lease ran out (its node stopped or lost touch), so the attempt
 * that holder was making never recorded an outcome.
 */
public record Claim(ExecutionRow execution, String leaseToken, int stepAttempts, boolean interrupted) {

    public Claim(ExecutionRow execution, String leaseToken, int stepAttempts) {
        this(execution, leaseToken, stepAttempts, false);
    }
}
