package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * {@code /metrics} of a running distribution after a few webhooks: on its own port (127.0.0.1) and on the main
 * port with the metrics token; the counters move with the right labels.
 */
public class MetricsIT {

    private DistributionProcess dooneflow;
    private WireMockServer sink;

    @Test
    public void countersMoveWithTheirLabelsAfterAFewWebhooks() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/ok").willReturn(WireMock.aResponse().withStatus(201)));

        dooneflow = new DistributionProcess(null);
        int metricsPort = DooneFlowTestSupport.freePort();
        String metricsToken = "metrics-" + UUID.randomUUID();
        dooneflow.setting("metrics.port = " + metricsPort);
        dooneflow.setting(".metrics.token = " + metricsToken);
        dooneflow.start();
        dooneflow.awaitHealthy();
        String org = dooneflow.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();
        String workflow = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"counted\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"counted\","
                        + "\"authentication\":\"key\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":"
                        + "\"http://127.0.0.1:" + sink.port() + "/ok\"}}]}").path("id").asText();
        String key = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows/" + workflow + "/webhook-key", null)
                .path("webhookKey").asText();

        for (int i = 0; i < 3; i++) {
            assertEquals(202, webhook(key));
        }
        assertEquals(401, webhook("wrong-key"));
        assertEquals(401, webhook(null));
        Awaitility.await("three deliveries").atMost(Duration.ofSeconds(60)).until(
                () -> sink.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/ok"))).size() == 3);

        String port = "http://127.0.0.1:" + metricsPort + "/metrics";
        Awaitility.await("executions counted").atMost(Duration.ofSeconds(30)).until(() -> value(get(port, null).body(),
                "dooneflow_executions_succeeded_total", Map.of("organization", org)) == 3);
        HttpResponse<String> scraped = get(port, null);
        assertEquals(200, scraped.statusCode());
        assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = scraped.body();
        assertTrue(value(text, "dooneflow_http_requests_total", Map.of("route", "webhook", "status_class", "2xx")) >= 3);
        assertTrue(value(text, "dooneflow_auth_failures_total", Map.of("route", "webhook")) >= 2);
        assertEquals(3, value(text, "dooneflow_executions_accepted_total", Map.of("organization", org, "trigger", "webhook")), 0);
        assertEquals(3, value(text, "dooneflow_executions_started_total", Map.of("organization", org)), 0);
        assertEquals(3, value(text, "dooneflow_step_duration_seconds_count", Map.of("type", "webhook.call", "outcome", "ok")), 0);
        assertEquals(3, value(text, "dooneflow_outbound_calls_total", Map.of("type", "webhook.call", "status_class", "2xx")), 0);
        assertEquals(3, value(text, "dooneflow_intake_commit_seconds_count", Map.of("trigger", "webhook")), 0);
        assertTrue(value(text, "dooneflow_intake_commit_seconds_bucket", Map.of("trigger", "webhook", "le", "+Inf")) >= 3);
        assertTrue(value(text, "dooneflow_http_requests_total", Map.of("route", "api", "status_class", "2xx")) >= 3);
        assertEquals(0, value(text, "dooneflow_backlog_due", Map.of()), 0);
        assertTrue(value(text, "hikaricp_connections_max", Map.of("pool", "dooneflow")) >= 1);
        assertTrue(value(text, "jvm_memory_used_bytes", Map.of("area", "heap", "id", "G1 Eden Space")) > 0);
        assertTrue(value(text, "dooneflow_workers_max", Map.of()) >= 1);

        // The metrics port serves nothing else; the main port serves /metrics only with the token.
        assertEquals(404, get("http://127.0.0.1:" + metricsPort + "/v1/me", null).statusCode());
        String main = dooneflow.base + "/metrics";
        HttpResponse<String> refused = get(main, null);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("\"status\":401"));
        assertEquals(401, get(main, "not-the-token-" + UUID.randomUUID()).statusCode());
        HttpResponse<String> open = get(main, metricsToken, "application/openmetrics-text; version=1.0.0");
        assertEquals(200, open.statusCode());
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(open.body().contains("dooneflow_executions_succeeded_total{organization=\"" + org + "\"} 3.0"));
        assertTrue(open.body().endsWith("# EOF\n"));
    }

    private int webhook(String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dooneflow.base + "/webhook/counted"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ann\"}"));
        if (key != null) {
            b.header("X-Webhook-Key", key);
        }
        return DistributionProcess.HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return get(url, token, null);
    }

    /** GET with an optional bearer token and Accept header. */
    private static HttpResponse<String> get(String url, String token, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return DistributionProcess.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code name} whose labels include {@code labels}; -1 when there is none. */
    static double value(String exposition, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(exposition);
        while (m.find()) {
            String set = m.group(1) == null ? "" : m.group(1);
            if (labels.entrySet().stream().allMatch(e -> set.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    @After
    public void stop() throws Exception {
        if (dooneflow != null) {
            dooneflow.close();
        }
        if (sink != null) {
            sink.stop();
        }
    }
}
