package com.dooneflow.persistence.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * The backlog as gauges, read from the database when scraped (at most every few seconds, cluster-wide figures):
 * executions due but not started, how long the oldest of them has waited, and executions waiting for a connector.
 * With metrics off nobody reads the gauges, so the query never runs.
 */
@Component(immediate = true)
public class BacklogMeters {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogMeters.class);
    static final Duration FRESH = Duration.ofSeconds(5);

    private final Database db;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<Meter> meters;
    private Instant readAt = Instant.MIN;
    private Snapshot last = new Snapshot(0, 0, 0);

    record Snapshot(long due, double oldestAgeSeconds, long waiting) {
    }

    @Activate
    public BacklogMeters(@Reference Database db) {
        this(db, Clock.systemUTC(), Metrics.globalRegistry);
    }

    BacklogMeters(Database db, Clock clock, MeterRegistry registry) {
        this.db = db;
        this.clock = clock;
        this.registry = registry;
        this.meters = List.of(
                Gauge.builder("dooneflow.backlog.due", this, m -> m.snapshot().due())
                        .description("Executions due but not started, all nodes").register(registry),
                Gauge.builder("dooneflow.backlog.oldest.age", this, m -> m.snapshot().oldestAgeSeconds())
                        .baseUnit("seconds").description("How long the oldest due execution has waited to start")
                        .register(registry),
                Gauge.builder("dooneflow.executions.waiting.now", this, m -> m.snapshot().waiting())
                        .description("Executions waiting for a connector that is not running").register(registry));
    }

    /** The last figures, read again when older than {@link #FRESH}. */
    synchronized Snapshot snapshot() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(FRESH) < 0) {
            return last;
        }
        readAt = now;
        try {
            last = Jdbc.tx(db.dataSource(), c -> {
                try (PreparedStatement ps = Jdbc.bind(c.prepareStatement("select "
                        + "count(case when status = 'queued' and next_attempt_at <= ? then 1 end), "
                        + "min(case when status = 'queued' and next_attempt_at <= ? then next_attempt_at end), "
                        + "count(case when status = 'waiting' then 1 end) "
                        + "from df_execution where status in ('queued', 'waiting')"), now, now);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    java.time.LocalDateTime oldest = rs.getObject(2, java.time.LocalDateTime.class);
                    double age = oldest == null ? 0
                            : Math.max(0, Duration.between(oldest.toInstant(java.time.ZoneOffset.UTC), now).toMillis() / 1000.0);
                    return new Snapshot(rs.getLong(1), age, rs.getLong(3));
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("Could not read the backlog for the metrics", e);
        }
        return last;
    }

    @Deactivate
    void deactivate() {
        meters.forEach(registry::remove);
    }
}
