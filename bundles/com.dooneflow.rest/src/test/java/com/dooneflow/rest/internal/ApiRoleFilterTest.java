package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** A node without the api role answers 503 naming the role to everything but the health checks. */
class ApiRoleFilterTest {

    @Test
    void aNodeWithTheApiRoleRegistersNoFilter() {
        assertThat(ApiRoleGate.refusal(null, null)).as("default: every role").isNull();
        assertThat(ApiRoleGate.refusal("api,worker", null)).isNull();
        assertThat(ApiRoleGate.refusal(null, "api")).isNull();
        assertThat(ApiRoleGate.refusal("api", "worker")).as("the environment wins").isNull();
    }

    @Test
    void aNodeWithoutItSaysWhichRolesItHasOrWhatIsWrongWithThem() {
        assertThat(ApiRoleGate.refusal("worker,poller", "api")).contains("worker,poller").contains("without api");
        assertThat(ApiRoleGate.refusal(null, "worker")).contains("worker").contains("without api");
        assertThat(ApiRoleGate.refusal("api,wrker", null)).contains("'wrker'");
    }

    @Test
    void everythingButTheHealthChecksIsAnswered503WithAProblem() throws Exception {
        ApiRoleFilter filter = new ApiRoleFilter(ApiRoleGate.refusal("worker", null));
        for (String path : List.of("/v1/me", "/webhook/orders", "/ui/app.js", "/", "/v1/openapi.json",
                "/v1/health/other")) {
            ServletExchange exchange = new ServletExchange("", path);
            filter.doFilter(exchange.request(), exchange.response(), exchange.chain());

            assertThat(exchange.passedOn).as(path).isFalse();
            assertThat(exchange.status).as(path).isEqualTo(503);
            assertThat(exchange.contentType).isEqualTo(Problem.MEDIA_TYPE);
            JsonNode problem = Json.MAPPER.readTree(exchange.body.toString(StandardCharsets.UTF_8));
            assertThat(problem.path("status").asInt()).isEqualTo(503);
            assertThat(problem.path("type").asText()).endsWith("/node-role");
            assertThat(problem.path("detail").asText()).contains("without api");
        }
        for (String path : List.of("/v1/health", "/v1/health/", "/v1/health/live")) {
            ServletExchange exchange = new ServletExchange("", path);
            filter.doFilter(exchange.request(), exchange.response(), exchange.chain());
            assertThat(exchange.passedOn).as(path).isTrue();
            assertThat(exchange.status).isZero();
        }
        ServletExchange inContext = new ServletExchange("/ctx", "/ctx/v1/health");
        filter.doFilter(inContext.request(), inContext.response(), inContext.chain());
        assertThat(inContext.passedOn).isTrue();
    }
}
