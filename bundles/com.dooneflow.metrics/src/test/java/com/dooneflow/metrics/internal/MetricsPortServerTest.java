package com.dooneflow.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The separate metrics port, the request counters and both exposition formats, without OSGi. */
class MetricsPortServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private PrometheusMeterRegistry registry;
    private MetricsPortServer server;

    @BeforeEach
    void start() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = new MetricsPortServer(registry, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        Metrics.removeRegistry(registry);
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesCountersInThePrometheusTextFormat() throws Exception {
        RequestMetricsFilter filter = new RequestMetricsFilter(registry);
        filter.count(RequestMetricsFilter.route("/webhook/orders"), 202);
        filter.count(RequestMetricsFilter.route("/webhook/orders"), 202);
        filter.count(RequestMetricsFilter.route("/webhook/orders"), 401);
        filter.count(RequestMetricsFilter.route("/v1/me"), 429);
        filter.count(RequestMetricsFilter.route("/organizations/x/workflows"), 200);

        HttpResponse<String> r = get("/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(r.body())
                .contains("dooneflow_http_requests_total{route=\"webhook\",status_class=\"2xx\"} 2.0")
                .contains("dooneflow_http_requests_total{route=\"webhook\",status_class=\"4xx\"} 1.0")
                .contains("dooneflow_auth_failures_total{route=\"webhook\"} 1.0")
                .contains("dooneflow_rate_limited_total{route=\"api\"} 1.0")
                .contains("dooneflow_http_requests_total{route=\"console\",status_class=\"2xx\"} 1.0");
    }

    @Test
    void answersOpenMetricsWhenAskedForIt() throws Exception {
        new RequestMetricsFilter(registry).count(RequestMetricsFilter.Route.API, 200);
        HttpResponse<String> r = get("/metrics", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(r.body()).contains("dooneflow_http_requests_total{route=\"api\",status_class=\"2xx\"} 1.0")
                .endsWith("# EOF\n");
    }

    @Test
    void servesNothingElse() throws Exception {
        assertThat(get("/v1/me", null).statusCode()).isEqualTo(404);
        assertThat(get("/", null).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(405);
    }
}
