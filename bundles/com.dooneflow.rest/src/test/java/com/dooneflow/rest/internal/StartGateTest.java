package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** While DooneFlow starts, every request is answered "not yet" by the gate; once started, every one passes. */
class StartGateTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final AtomicInteger checks = new AtomicInteger();
    private String state = "waiting for com.dooneflow.rest.internal.WorkflowResource, which needs "
            + "com.dooneflow.api.WorkflowService";

    /** The readiness check as the start goes: its components check is what the test says. */
    private final HealthResource health = new HealthResource(null) {
        @Override
        String components() {
            checks.incrementAndGet();
            return state;
        }

        @Override
        Map<String, Object> body(String componentsCheck) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", HealthResource.UP.equals(componentsCheck) ? "UP" : "DOWN");
            body.put("checks", Map.of("components", componentsCheck));
            return body;
        }
    };
    private final StartGate gate = new StartGate(health, clock::get);

    private ServletExchange send(String path, String accept) throws Exception {
        ServletExchange exchange = new ServletExchange("", path);
        if (accept != null) {
            exchange.header("Accept", accept);
        }
        gate.doFilter(exchange.request(), exchange.response(), exchange.chain());
        return exchange;
    }

    @Test
    void whileStartingTheApiAndWebhooksAreAnswered503WithRetryAfter() throws Exception {
        for (String path : new String[] {"/v1/me", "/webhook/orders", "/v1/organizations/o/workflows", "/ui/app.js"}) {
            ServletExchange exchange = send(path, "application/json");

            assertThat(exchange.passedOn).as(path).isFalse();
            assertThat(exchange.status).as(path).isEqualTo(503);
            assertThat(exchange.headers).as(path).containsEntry("Retry-After", "5");
            assertThat(exchange.contentType).isEqualTo(Problem.MEDIA_TYPE);
            JsonNode problem = Json.MAPPER.readTree(exchange.body());
            assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/starting");
            assertThat(problem.path("status").asInt()).isEqualTo(503);
            assertThat(problem.path("detail").asText()).contains("starting").contains("/v1/health");
        }
    }

    @Test
    void aBrowserGetsAPageThatReloadsItself() throws Exception {
        ServletExchange exchange = send("/organizations/o", "text/html,application/xhtml+xml,*/*;q=0.8");

        assertThat(exchange.passedOn).isFalse();
        assertThat(exchange.status).isEqualTo(503);
        assertThat(exchange.headers).containsEntry("Retry-After", "5");
        assertThat(exchange.contentType).startsWith("text/html");
        assertThat(exchange.body()).contains("http-equiv=\"refresh\"").contains("DooneFlow is starting");
    }

    @Test
    void theHealthChecksAreAnsweredByTheGateItself() throws Exception {
        ServletExchange readiness = send("/v1/health", null);
        assertThat(readiness.passedOn).isFalse();
        assertThat(readiness.status).isEqualTo(503);
        assertThat(readiness.contentType).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(readiness.body()).path("checks").path("components").asText())
                .as("says what the start waits for").startsWith("waiting for com.dooneflow.rest.internal.WorkflowResource");

        ServletExchange liveness = send("/v1/health/live", null);
        assertThat(liveness.passedOn).isFalse();
        assertThat(liveness.status).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(liveness.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void itOpensForGoodOnceStarted() throws Exception {
        assertThat(send("/v1/me", null).passedOn).isFalse();

        state = HealthResource.UP;
        clock.addAndGet(100);
        assertThat(send("/v1/me", null).passedOn).isTrue();

        state = "deploying com.dooneflow.connector.acme.internal.AcmeResource"; // a connector installed later
        clock.addAndGet(1_000);
        assertThat(send("/v1/me", null).passedOn).as("stays open").isTrue();
        assertThat(send("/v1/health", null).passedOn).as("the resource answers the health check now").isTrue();
    }

    @Test
    void onceTheReadinessCheckSaysUpEveryRequestAfterItIsServed() throws Exception {
        assertThat(send("/v1/me", null).passedOn).isFalse(); // the check of this tenth of a second: waiting

        state = HealthResource.UP;
        assertThat(send("/v1/health", null).passedOn).as("a fresh check: the resource answers UP").isTrue();
        assertThat(send("/v1/me", null).passedOn).as("a client told UP is served at once").isTrue();
    }

    @Test
    void aFailedPartOpensIt_theHealthCheckReportsTheFailure() throws Exception {
        state = "failed: com.dooneflow.connector.acme.internal.AcmeAction: no such setting";

        assertThat(send("/v1/me", null).passedOn).isTrue();
    }

    @Test
    void aStartThatNeverSettlesOpensItAfterFiveMinutes() throws Exception {
        clock.addAndGet(StartGate.LONGEST_START_MILLIS - 1);
        assertThat(send("/v1/me", null).passedOn).isFalse();

        clock.addAndGet(1);
        assertThat(send("/v1/me", null).passedOn).isTrue();
    }

    @Test
    void oneCheckAnswersForTheRequestsOfTheNextTenthOfASecond() throws Exception {
        for (int i = 0; i < 50; i++) {
            send("/webhook/orders", null);
        }
        assertThat(checks.get()).isEqualTo(1);

        clock.addAndGet(100);
        send("/webhook/orders", null);
        assertThat(checks.get()).isEqualTo(2);
    }

    @Test
    void whenTheNodeStopsEveryCallerHearsStoppingForGood() throws Exception {
        state = HealthResource.UP;
        assertThat(send("/v1/me", null).passedOn).isTrue();

        gate.stopping(); // the framework's STOPPING event, before any route is taken down

        ServletExchange webhook = send("/webhook/orders", "application/json");
        assertThat(webhook.passedOn).isFalse();
        assertThat(webhook.status).isEqualTo(503);
        assertThat(webhook.headers).containsEntry("Retry-After", "5");
        assertThat(Json.MAPPER.readTree(webhook.body()).path("type").asText())
                .isEqualTo("https://dooneflow.org/problems/stopping");
        ServletExchange readiness = send("/v1/health", null);
        assertThat(readiness.status).isEqualTo(503);
        assertThat(Json.MAPPER.readTree(readiness.body()).path("checks").path("components").asText())
                .startsWith("stopping");
        assertThat(send("/organizations/o", "text/html").body()).contains("DooneFlow is stopping");
        assertThat(send("/v1/health/live", null).status).isEqualTo(200);
        clock.addAndGet(StartGate.LONGEST_START_MILLIS);
        assertThat(send("/v1/me", null).passedOn).as("for good").isFalse();
    }
}
