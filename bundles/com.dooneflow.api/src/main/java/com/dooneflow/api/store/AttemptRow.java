package com.dooneflow.api.store;

import java.time.Instant;

/** One attempt at an execution's step as stored: numbered from 1 per step, oldest first. */
public record AttemptRow(String executionId, int stepIndex, int number, Instant startedAt, Instant finishedAt,
                         String outcome, String error) {
}
