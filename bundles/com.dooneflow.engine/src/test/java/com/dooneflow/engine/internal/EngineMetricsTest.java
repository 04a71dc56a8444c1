package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.dooneflow.api.spi.ActionResult;

class EngineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EngineMetrics metrics = new EngineMetrics(registry);

    @Test
    void intakeRecordsLatencyAndCountsNewExecutionsByOrganization() {
        metrics.intakeCommitted("webhook", "org-a", 2, false, 3_000_000);
        metrics.intakeCommitted("webhook", "org-a", 1, true, 1_000_000); // a duplicate creates nothing
        assertThat(registry.get("dooneflow.intake.commit").tag("trigger", "webhook").timer().count()).isEqualTo(2);
        assertThat(registry.get("dooneflow.executions.accepted").tag("organization", "org-a").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void stepsCountOutcomesAndOutboundStatusClasses() {
        metrics.stepAttempt("webhook.call", ActionResult.ok(Map.of("status", 201)), 5_000_000);
        metrics.stepAttempt("webhook.call", new ActionResult.Retry("503", null, Map.of("status", 503)), 1_000_000);
        metrics.stepAttempt("team.assign", ActionResult.ok(Map.of("assignee", "x")), 1_000);
        assertThat(registry.get("dooneflow.step.duration").tags("type", "webhook.call", "outcome", "ok").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("dooneflow.step.duration").tags("type", "webhook.call", "outcome", "retry").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("dooneflow.outbound.calls").tags("type", "webhook.call", "status_class", "2xx").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.get("dooneflow.outbound.calls").tags("type", "webhook.call", "status_class", "5xx").counter()
                .count()).isEqualTo(1.0);
        assertThat(registry.find("dooneflow.outbound.calls").tag("type", "team.assign").counter()).isNull();
    }

    @Test
    void retriesTellRetryAfterWaitsApart() {
        metrics.retryScheduled("webhook.call", Duration.ofSeconds(30), true);
        metrics.retryScheduled("webhook.call", Duration.ofSeconds(2), false);
        assertThat(registry.get("dooneflow.step.retries").tags("retry_after", "true").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("dooneflow.step.retries").tags("retry_after", "false").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("dooneflow.step.retry.after").summary().totalAmount()).isEqualTo(30.0);
    }

    @Test
    void executionsByOutcome() {
        metrics.executionStarted("org-a");
        metrics.execution("succeeded", "org-a");
        metrics.execution("failed", "org-b");
        assertThat(registry.get("dooneflow.executions.started").tag("organization", "org-a").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("dooneflow.executions.failed").tag("organization", "org-b").counter().count()).isEqualTo(1.0);
    }
}
