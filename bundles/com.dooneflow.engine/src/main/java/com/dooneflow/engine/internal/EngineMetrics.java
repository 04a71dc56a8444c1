package com.dooneflow.engine.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import com.dooneflow.api.spi.ActionResult;

/**
 * What the engine tells the metrics: intake commits, executions and steps. It records into Micrometer's global
 * registry, which keeps nothing until the metrics bundle adds its Prometheus registry (metrics on), so with metrics
 * off each call is a lookup and a no-op. Names follow Micrometer (dots; Prometheus shows them with underscores).
 * Meters are kept once made (by name and label values): building one per call would cost more than recording.
 */
final class EngineMetrics {

    /** Buckets of the latency histograms: from a fast local commit to a step near its time limit. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    EngineMetrics() {
        this(Metrics.globalRegistry);
    }

    EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A trigger's payload committed with its executions (or found to be a duplicate). */
    void intakeCommitted(String trigger, String organizationId, int executions, boolean duplicate, long nanos) {
        meter(List.of("intake", trigger), k -> Timer.builder("dooneflow.intake.commit")
                .description("Time to commit an accepted trigger with its executions").tag("trigger", trigger)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry), Timer.class).record(nanos, TimeUnit.NANOSECONDS);
        if (executions > 0 && !duplicate) {
            meter(List.of("accepted", organizationId, trigger), k -> Counter.builder("dooneflow.executions.accepted")
                    .description("Executions created by accepted triggers").tag("organization", organizationId)
                    .tag("trigger", trigger).register(registry), Counter.class).increment(executions);
        }
    }

    /** A worker picks an execution up (its first run, or again after a retry wait or a missing connector). */
    void executionStarted(String organizationId) {
        execution("started", organizationId);
    }

    /** succeeded, failed or waiting (for a connector that is not installed here). */
    void execution(String what, String organizationId) {
        meter(List.of(what, organizationId), k -> Counter.builder("dooneflow.executions." + what)
                .description("Executions " + what).tag("organization", organizationId).register(registry), Counter.class)
                .increment();
    }

    /** One attempt of one step: its duration and outcome (ok, retry, fail), and outbound calls by status class. */
    void stepAttempt(String type, ActionResult result, long nanos) {
        String outcome = result instanceof ActionResult.Ok ? "ok" : result instanceof ActionResult.Retry ? "retry" : "fail";
        meter(List.of("step", type, outcome), k -> Timer.builder("dooneflow.step.duration")
                .description("Duration of step attempts by action type and outcome").tag("type", type).tag("outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry), Timer.class).record(nanos, TimeUnit.NANOSECONDS);
        Object status = result instanceof ActionResult.Ok ok ? get(ok.outputs(), "status")
                : result instanceof ActionResult.Retry r ? get(r.details(), "status")
                : result instanceof ActionResult.Fail f ? get(f.details(), "status") : null;
        if (status instanceof Number n && n.intValue() >= 100 && n.intValue() < 600) {
            String statusClass = n.intValue() / 100 + "xx";
            meter(List.of("outbound", type, statusClass), k -> Counter.builder("dooneflow.outbound.calls")
                    .description("Answers of outside services to actions, by status class").tag("type", type)
                    .tag("status_class", statusClass).register(registry), Counter.class).increment();
        }
    }

    /** A transient failure that will be tried again after {@code delay}; {@code retryAfter} when the peer asked for it. */
    void retryScheduled(String type, Duration delay, boolean retryAfter) {
        meter(List.of("retries", type, String.valueOf(retryAfter)), k -> Counter.builder("dooneflow.step.retries")
                .description("Step attempts that will be tried again").tag("type", type)
                .tag("retry_after", String.valueOf(retryAfter)).register(registry), Counter.class).increment();
        if (retryAfter) {
            meter(List.of("retryAfter", type), k -> DistributionSummary.builder("dooneflow.step.retry.after")
                    .baseUnit("seconds").description("Waits that outside services asked for with Retry-After")
                    .tag("type", type).register(registry), DistributionSummary.class).record(delay.toMillis() / 1000.0);
        }
    }

    private <M extends Meter> M meter(List<String> key, Function<List<String>, Meter> make, Class<M> type) {
        return type.cast(meters.computeIfAbsent(key, make));
    }

    private static Object get(Map<String, Object> map, String key) {
        return map == null ? null : map.get(key);
    }
}
