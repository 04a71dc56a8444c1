package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The readiness check's last step: every route served is UP only once the JAX-RS whiteboard has settled. */
class HealthResourceTest {

    @Test
    void everyRouteServedIsUpOnlyOnceTheJaxrsWhiteboardHasNotChangedForAWhile() {
        AtomicLong clock = new AtomicLong(1_000);
        HealthResource health = new HealthResource(null, clock::get);

        assertThat(health.settled(7L)).startsWith("settling");
        clock.addAndGet(HealthResource.SETTLE_MILLIS - 1);
        assertThat(health.settled(7L)).startsWith("settling");
        clock.addAndGet(1);
        assertThat(health.settled(8L)).as("the JAX-RS whiteboard changed meanwhile").startsWith("settling");
        clock.addAndGet(HealthResource.SETTLE_MILLIS);
        assertThat(health.settled(8L)).isEqualTo("UP");
        clock.addAndGet(60_000);
        assertThat(health.settled(8L)).as("and stays UP while nothing changes").isEqualTo("UP");
    }
}
