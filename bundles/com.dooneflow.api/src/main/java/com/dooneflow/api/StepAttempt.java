package com.dooneflow.api;

import java.time.Instant;

/**
 * One attempt at a step: when it started and finished ({@code startedAt} is null when unknown: the node making it
 * stopped), how long it took, and how it ended — {@code succeeded}, {@code retrying} (a transient failure, tried
 * again), {@code failed}, or {@code lost} (it never reported back) — with the error it ended with.
 */
public record StepAttempt(int number, Instant startedAt, Instant finishedAt, Long durationMillis, String outcome,
                          String error) {
}
