package com.dooneflow.api.store;

import java.time.Instant;

/** A step result as stored; input and output are JSON text. */
public record StepRow(String executionId, int index, String type, String status, String input, String output,
                      String error, int attempts, Instant startedAt, Instant finishedAt) {
}
