package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.dooneflow.connector.salesforce.internal.SalesforceFake;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * {@code /metrics} of a running distribution after a few webhooks: on its own port (127.0.0.1) and on the main
 * port with the metrics token; the counters move with the right labels. Then every {@code dooneflow_*} series the
 * shipped Grafana dashboard and alert rules read is in a scrape, once the events that make the rarer meters have
 * happened (a failed execution, a retry with Retry-After, a rate limit, an execution waiting for a connector's
 * handler, a failed IMAP poll, a Salesforce token refresh, a Twilio delivery status): renaming a meter fails here.
 */
public class MetricsIT {

    private static final String TWILIO_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TWILIO_TOKEN = "token9" + "0123456789abcdef0123456789".substring(0, 26);

    private DistributionProcess dooneflow;
    private WireMockServer sink;
    private SalesforceFake salesforce;

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
        dooneflow.env("DOONEFLOW_TWILIO_API_URL", "http://127.0.0.1:" + sink.port());
        TypeOnlyConnector.write(dooneflow.home);
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

        everySeriesOfTheDashboardAndAlertsIsScraped(port);
    }

    /**
     * Makes the meters that only appear with their first event appear, then finds every {@code dooneflow_*} series
     * of {@code ops/} in a scrape (histogram and summary series as {@code _bucket}, {@code _count}, {@code _sum} of
     * their base name, as the expressions read them).
     */
    private void everySeriesOfTheDashboardAndAlertsIsScraped(String scrapeUrl) throws Exception {
        Set<String> used = seriesUsedByOps();
        assertTrue(used.toString(), used.size() >= 20);
        String org = dooneflow.request("POST", "/v1/organizations", "{\"name\":\"metered\"}").path("id").asText();

        // A failed execution, and a step retried after the Retry-After the endpoint asked for.
        sink.stubFor(WireMock.post("/bad").willReturn(WireMock.aResponse().withStatus(400)));
        sink.stubFor(WireMock.post("/busy").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMock.aResponse().withStatus(503).withHeader("Retry-After", "1")).willSetStateTo("up"));
        sink.stubFor(WireMock.post("/busy").inScenario("busy").whenScenarioStateIs("up")
                .willReturn(WireMock.aResponse().withStatus(201)));
        workflow(org, "bad", "[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port() + "/bad\"}}]");
        workflow(org, "busy", "[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port() + "/busy\"}}]");
        awaitStatus(org, fire("bad"), "failed");
        awaitStatus(org, fire("busy"), "succeeded");

        executionWaitsForAMissingHandler(org);

        // An inbox whose server is not there: its first poll (a second after it is saved) fails.
        int closed = DooneFlowTestSupport.freePort();
        JsonNode inbox = dooneflow.request("POST", "/v1/organizations/" + org + "/email-inboxes", "{\"emailAddress\":"
                + "\"leads@it.example\",\"host\":\"127.0.0.1\",\"port\":" + closed + ",\"security\":\"none\","
                + "\"username\":\"leads\",\"password\":\"p\",\"pollIntervalSeconds\":300,\"idle\":false}");
        assertTrue(inbox.toString(), inbox.has("id"));

        salesforceTokenRefreshed(org);
        twilioDeliveryStatusReported(org);

        // Last, as it refuses this address's wrong keys for a minute: wrong webhook keys until a 429.
        int status = 0;
        for (int i = 0; i < 40 && status != 429; i++) {
            status = webhook("wrong-key-" + i);
        }
        assertEquals("the webhook key rate limit trips", 429, status);

        Awaitility.await("every series of ops/ in a scrape").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    String text = get(scrapeUrl, null).body();
                    Set<String> missing = new TreeSet<>();
                    for (String name : used) {
                        if (!Pattern.compile("^" + Pattern.quote(name) + "[{ ]", Pattern.MULTILINE).matcher(text).find()) {
                            missing.add(name);
                        }
                    }
                    assertTrue("used by ops/ but not scraped: " + missing, missing.isEmpty());
                });
        String text = get(scrapeUrl, null).body();
        assertEquals(1, value(text, "dooneflow_executions_failed_total", Map.of("organization", org)), 0);
        // (counted again at each recheck while the connector stays away)
        assertTrue(value(text, "dooneflow_executions_waiting_total", Map.of("organization", org)) >= 1);
        assertEquals(1, value(text, "dooneflow_step_retries_total", Map.of("type", "webhook.call", "retry_after", "true")), 0);
        assertEquals(1, value(text, "dooneflow_salesforce_token_refreshes_total", Map.of("organization", org, "outcome", "ok")), 0);
        assertEquals(1, value(text, "dooneflow_twilio_delivery_statuses_total", Map.of("organization", org, "status", "delivered")), 0);
        assertTrue(value(text, "dooneflow_imap_polls_total", Map.of("organization", org, "outcome", "failed")) >= 1);
        assertTrue(value(text, "dooneflow_rate_limited_total", Map.of("route", "webhook")) >= 1);
        assertTrue(value(text, "dooneflow_workers_threads", Map.of()) >= 1);
    }

    /** The {@code dooneflow_*} series the shipped dashboard's queries and alert rules' expressions read. */
    static Set<String> seriesUsedByOps() throws Exception {
        Pattern series = Pattern.compile("\\bdooneflow_[a-z0-9_]+");
        Set<String> used = new TreeSet<>();
        JsonNode dashboard = DooneFlowTestSupport.JSON.readTree(Path.of("../ops/grafana/dooneflow.json").toFile());
        for (JsonNode expr : dashboard.findValues("expr")) {
            series.matcher(expr.asText()).results().forEach(m -> used.add(m.group()));
        }
        for (String line : Files.readAllLines(Path.of("../ops/prometheus/dooneflow-alerts.yml"))) {
            if (!line.trim().startsWith("#")) {
                series.matcher(line).results().forEach(m -> used.add(m.group()));
            }
        }
        return used;
    }

    /** A connector installed whose handler never comes: the type is known, its executions wait. */
    private void executionWaitsForAMissingHandler(String org) throws Exception {
        dooneflow.request("POST", "/v1/connectors/install", "{\"repository\":\"" + TypeOnlyConnector.REPOSITORY
                + "\",\"feature\":\"" + TypeOnlyConnector.FEATURE + "\"}");
        Awaitility.await(TypeOnlyConnector.TYPE + " known").atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> dooneflow.request("GET", "/v1/connectors", null).path("actions").findValuesAsText("type")
                        .contains(TypeOnlyConnector.TYPE));
        workflow(org, "waits", "[{\"type\":\"" + TypeOnlyConnector.TYPE + "\",\"params\":{}}]");
        awaitStatus(org, fire("waits"), "waiting");
    }

    /** A connection authorized through the fake's OAuth flow; its session expires, so the next write refreshes it. */
    private void salesforceTokenRefreshed(String org) throws Exception {
        salesforce = SalesforceFake.start();
        String base = "/v1/organizations/" + org + "/integrations/salesforce";
        JsonNode connection = dooneflow.request("POST", base, "{\"name\":\"Metered\",\"environment\":\"production\","
                + "\"loginUrl\":\"" + salesforce.baseUrl() + "\",\"clientId\":\"" + SalesforceFake.CLIENT_ID
                + "\",\"clientSecret\":\"" + SalesforceFake.CLIENT_SECRET + "\"}");
        String authorize = dooneflow.request("POST", base + "/" + connection.path("id").asText() + "/connect", null)
                .path("authorizeUrl").asText();
        String callback = salesforce.approve(authorize); // the browser at Salesforce, sent back to DooneFlow
        HttpResponse<String> back = DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(callback))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(back.body(), 200, back.statusCode());
        workflow(org, "lead", "[{\"type\":\"salesforce.record.write\",\"params\":{\"connection\":\"Metered\","
                + "\"endpointType\":\"object\",\"object\":\"Lead\",\"operation\":\"create\",\"payload\":{"
                + "\"LastName\":\"Lee\",\"Company\":\"Acme\"}}}]");
        salesforce.expireAccessTokens();
        awaitStatus(org, fire("lead"), "succeeded");
        assertEquals(1, salesforce.refreshes());
    }

    /** An SMS sent through the Twilio-shaped sink, and its delivery reported by a signed status callback. */
    private void twilioDeliveryStatusReported(String org) throws Exception {
        String messages = "/2010-04-01/Accounts/" + TWILIO_SID + "/Messages.json";
        String messageSid = "SM" + "0123456789abcdef".repeat(2);
        sink.stubFor(WireMock.post(messages).willReturn(WireMock.aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"sid\":\"" + messageSid + "\","
                        + "\"account_sid\":\"" + TWILIO_SID + "\",\"api_version\":\"2010-04-01\",\"status\":\"queued\","
                        + "\"num_segments\":\"1\",\"num_media\":\"0\",\"price\":null,\"price_unit\":\"USD\","
                        + "\"from\":\"+14155552671\",\"direction\":\"outbound-api\",\"error_code\":null,"
                        + "\"error_message\":null,\"date_created\":\"Fri, 27 Nov 2026 16:00:00 +0000\"}")));
        JsonNode saved = dooneflow.request("PUT", "/v1/organizations/" + org + "/integrations/twilio", "{\"accountSid\":\""
                + TWILIO_SID + "\",\"authToken\":\"" + TWILIO_TOKEN + "\",\"phoneNumber\":\"+14155552671\"}");
        assertTrue(saved.toString(), saved.path("authTokenSet").asBoolean());
        workflow(org, "sms", "[{\"type\":\"twilio.sms.send\",\"params\":{\"recipientType\":\"contact\","
                + "\"body\":\"Hi {contact_name}\"}}]");
        awaitStatus(org, fire("sms"), "succeeded");

        String callback = null;
        for (String pair : sink.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(messages))).get(0).getBodyAsString()
                .split("&")) {
            if (pair.startsWith("StatusCallback=")) {
                callback = java.net.URLDecoder.decode(pair.substring("StatusCallback=".length()), StandardCharsets.UTF_8);
            }
        }
        assertTrue(String.valueOf(callback), callback != null && callback.startsWith(dooneflow.base));
        TwilioSmsIT.Account account = new TwilioSmsIT.Account(org, TWILIO_SID, TWILIO_TOKEN);
        Map<String, String> params = TwilioSmsIT.statusParams(account, messageSid, "delivered");
        StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> reported = DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(callback))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSmsIT.sign(TWILIO_TOKEN, callback, params))
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(reported.body(), 204, reported.statusCode());
    }

    private void workflow(String org, String path, String actions) throws Exception {
        JsonNode created = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows", "{\"name\":\"" + path
                + "\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"" + path + "\"}},\"actions\":"
                + actions + "}");
        assertTrue(created.toString(), created.has("id"));
    }

    /** Fires the workflow at {@code /webhook/path} with a contact; returns its execution's id. */
    private String fire(String path) throws Exception {
        JsonNode accepted = dooneflow.request("POST", "/webhook/" + path,
                "{\"name\":\"Ann Lee\",\"phone\":\"+1 415 555 0123\"}");
        assertTrue(accepted.toString(), accepted.path("executionIds").size() == 1);
        return accepted.path("executionIds").path(0).asText();
    }

    private void awaitStatus(String org, String executionId, String status) {
        Awaitility.await("execution " + executionId + " " + status).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> status.equals(dooneflow
                        .request("GET", "/v1/organizations/" + org + "/executions/" + executionId, null)
                        .path("status").asText()));
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
        if (salesforce != null) {
            salesforce.close();
        }
    }
}
