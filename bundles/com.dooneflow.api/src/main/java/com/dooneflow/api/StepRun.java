package com.dooneflow.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One action step of an execution: what it was given, what it gave back, how often it was tried, and the notes its
 * connector attached (e.g. an SMS's delivery status reported later by the provider). {@code number} counts from 1.
 * A step of the workflow version that has not run has the status {@code not_run}. {@code explanation} says in plain
 * language what went wrong — and whether anything left DooneFlow — or why the step did not run; null otherwise.
 * {@code attemptHistory} lists every attempt with its times and outcome, oldest first.
 */
public record StepRun(int index, int number, String type, String status, Map<String, Object> input,
                      Map<String, Object> output, String error, String explanation, int attempts, Instant startedAt,
                      Instant finishedAt, Map<String, Map<String, Object>> notes, List<StepAttempt> attemptHistory) {

    /** A step without its attempts listed. */
    public StepRun(int index, int number, String type, String status, Map<String, Object> input,
                   Map<String, Object> output, String error, String explanation, int attempts, Instant startedAt,
                   Instant finishedAt, Map<String, Map<String, Object>> notes) {
        this(index, number, type, status, input, output, error, explanation, attempts, startedAt, finishedAt, notes,
                List.of());
    }

    /** The status of a step that has not run. */
    public static final String NOT_RUN = "not_run";

    /** A step as recorded, without an explanation. */
    public StepRun(int index, String type, String status, Map<String, Object> input, Map<String, Object> output,
                   String error, int attempts, Instant startedAt, Instant finishedAt,
                   Map<String, Map<String, Object>> notes) {
        this(index, index + 1, type, status, input, output, error, null, attempts, startedAt, finishedAt, notes);
    }
}
