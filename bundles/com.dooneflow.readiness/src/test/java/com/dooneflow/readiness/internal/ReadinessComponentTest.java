package com.dooneflow.readiness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Health;
import com.dooneflow.api.NodeRole;
import com.dooneflow.testing.InMemoryClusterService;

/** The readiness answer of {@code GET /v1/health}: the database and the components, the node and its roles. */
class ReadinessComponentTest {

    private final ReadinessComponent readiness = new ReadinessComponent(null);

    @Test
    void upOnlyWhenTheDatabaseAndEveryComponentAre() {
        assertThat(readiness.body("UP")).as("no database yet").containsEntry("status", "DOWN")
                .containsEntry("checks", Map.of("database", "starting", "components", "UP"))
                .containsEntry("connectorsNotRunning", List.of());

        readiness.health = health("UP");
        assertThat(readiness.body("UP")).containsEntry("status", "UP").containsEntry("database", "H2");
        assertThat(readiness.body("deploying WorkflowResource")).containsEntry("status", "DOWN")
                .containsEntry("checks", Map.of("database", "UP", "components", "deploying WorkflowResource"));
    }

    @Test
    void everyRouteServedIsUpOnlyOnceTheJaxrsWhiteboardHasNotChangedForAWhile() {
        AtomicLong clock = new AtomicLong(1_000);
        ReadinessComponent settling = new ReadinessComponent(null, clock::get);

        assertThat(settling.settled(7L)).startsWith("settling");
        clock.addAndGet(ReadinessComponent.SETTLE_MILLIS - 1);
        assertThat(settling.settled(7L)).startsWith("settling");
        clock.addAndGet(1);
        assertThat(settling.settled(8L)).as("the JAX-RS whiteboard changed meanwhile")
                .startsWith("settling");
        clock.addAndGet(ReadinessComponent.SETTLE_MILLIS);
        assertThat(settling.settled(8L)).isEqualTo("UP");
    }

    @Test
    void namesTheNodeItsRolesAndWhetherItsWorkerClaims() {
        InMemoryClusterService cluster = new InMemoryClusterService("node-1", EnumSet.of(NodeRole.WORKER,
                NodeRole.POLLER));
        cluster.reportClaiming(true);
        Map<String, Object> worker = ReadinessComponent.node(cluster);
        assertThat(worker).containsEntry("node", "node-1").containsEntry("roles", List.of("worker", "poller"))
                .containsEntry("claiming", true);
        cluster.reportClaiming(false);
        assertThat(ReadinessComponent.node(cluster)).containsEntry("claiming", false);

        Map<String, Object> api = ReadinessComponent.node(new InMemoryClusterService("node-1",
                EnumSet.of(NodeRole.API)));
        assertThat(api).containsEntry("roles", List.of("api")).doesNotContainKey("claiming");
        assertThat(ReadinessComponent.node(null)).as("the cluster service not started yet").isEmpty();
    }

    private static Health health(String database) {
        return new Health() {
            @Override
            public Map<String, String> check() {
                return Map.of("database", database);
            }

            @Override
            public Map<String, String> info() {
                return Map.of("database", "H2");
            }
        };
    }
}
