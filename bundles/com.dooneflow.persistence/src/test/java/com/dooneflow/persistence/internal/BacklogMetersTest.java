package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.WEBHOOK;
import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The backlog gauges read due executions and the oldest one's wait from the database, at most every 5 s. */
class BacklogMetersTest extends DatabaseTestBase {

    @OnBothDatabases
    void gaugesShowDueExecutionsAndTheOldestWait(DbKind kind) {
        String org = newOrganization(on(kind));
        new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        ExecutionStoreImpl store = new ExecutionStoreImpl(db(kind));
        try {
            store.intake(org, WEBHOOK, List.of(), null, "{}");
            store.intake(org, WEBHOOK, List.of(), null, "{}");
        } finally {
            store.close();
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Instant later = Instant.now().plusSeconds(30);
        BacklogMeters meters = new BacklogMeters(db(kind), Clock.fixed(later, ZoneOffset.UTC), registry);

        assertThat(registry.get("dooneflow.backlog.due").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("dooneflow.backlog.oldest.age").gauge().value()).isBetween(29.0, 40.0);
        assertThat(registry.get("dooneflow.executions.waiting.now").gauge().value()).isZero();

        meters.deactivate();
        assertThat(registry.find("dooneflow.backlog.due").gauge()).isNull();
    }
}
