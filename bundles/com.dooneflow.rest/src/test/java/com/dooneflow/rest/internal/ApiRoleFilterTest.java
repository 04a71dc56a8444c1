package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

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
            Exchange exchange = new Exchange("", path);
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
            Exchange exchange = new Exchange("", path);
            filter.doFilter(exchange.request(), exchange.response(), exchange.chain());
            assertThat(exchange.passedOn).as(path).isTrue();
            assertThat(exchange.status).isZero();
        }
        Exchange inContext = new Exchange("/ctx", "/ctx/v1/health");
        filter.doFilter(inContext.request(), inContext.response(), inContext.chain());
        assertThat(inContext.passedOn).isTrue();
    }

    /** One request through the filter: what it answered, or whether it passed the request on. */
    private static final class Exchange {
        final String contextPath;
        final String uri;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean passedOn;
        int status;
        String contentType;

        Exchange(String contextPath, String uri) {
            this.contextPath = contextPath;
            this.uri = uri;
        }

        HttpServletRequest request() {
            return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
                case "getRequestURI" -> uri;
                case "getContextPath" -> contextPath;
                default -> throw new UnsupportedOperationException(name);
            });
        }

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
            return proxy(HttpServletResponse.class, (name, args) -> switch (name) {
                case "setStatus" -> {
                    status = (Integer) args[0];
                    yield null;
                }
                case "setContentType" -> {
                    contentType = (String) args[0];
                    yield null;
                }
                case "setContentLength" -> null;
                case "getOutputStream" -> out;
                default -> throw new UnsupportedOperationException(name);
            });
        }

        FilterChain chain() {
            return (request, response) -> passedOn = true;
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> switch (m.getName()) {
                    case "toString" -> type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> answer.answer(m.getName(), args);
                }));
    }
}
