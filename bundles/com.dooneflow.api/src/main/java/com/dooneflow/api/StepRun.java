package com.dooneflow.api;

import java.time.Instant;
import java.util.Map;

/** One action step of an execution: what it was given, what it gave back, how often it was tried. */
public record StepRun(int index, String type, String status, Map<String, Object> input, Map<String, Object> output,
                      String error, int attempts, Instant startedAt, Instant finishedAt) {
}
