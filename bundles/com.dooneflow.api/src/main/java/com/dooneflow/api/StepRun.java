package com.dooneflow.api;

import java.time.Instant;
import java.util.Map;

/**
 * One action step of an execution: what it was given, what it gave back, how often it was tried, and the notes its
 * connector attached (e.g. an SMS's delivery status reported later by the provider).
 */
public record StepRun(int index, String type, String status, Map<String, Object> input, Map<String, Object> output,
                      String error, int attempts, Instant startedAt, Instant finishedAt,
                      Map<String, Map<String, Object>> notes) {
}
