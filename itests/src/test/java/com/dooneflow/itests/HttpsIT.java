package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * The distribution serving HTTPS itself from a PEM certificate and key (self-signed here), with plain HTTP
 * redirecting to it and JSON logs: the API, a webhook and the console over HTTPS; then the logs of the whole run
 * are JSON lines that name the execution, organization and workflow, and hold none of the secrets configured.
 */
public class HttpsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private DistributionProcess dooneflow;
    private WireMockServer sink;

    @Test
    public void apiWebhookAndConsoleOverHttpsWithJsonLogsFreeOfSecrets() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/ok").willReturn(WireMock.ok()));
        sink.stubFor(WireMock.post("/refuses").willReturn(WireMock.badRequest().withBody("no thanks")));

        dooneflow = new DistributionProcess(null);
        SelfSignedCertificate certificate = new SelfSignedCertificate(dooneflow.home.resolve("tls"), "pw-" + UUID.randomUUID());
        int httpsPort = DooneFlowTestSupport.freePort();
        dooneflow.setting("https.port = " + httpsPort);
        dooneflow.setting("tls.cert = " + certificate.cert);
        dooneflow.setting("tls.key = " + certificate.key);
        dooneflow.setting("https.redirect = true");
        dooneflow.env("DOONEFLOW_LOG_FORMAT", "json");
        dooneflow.start();
        String https = "https://127.0.0.1:" + httpsPort;
        HttpClient client = HttpClient.newBuilder().sslContext(certificate.trusting).connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpClient plain = DistributionProcess.HTTP;

        // Health stays on plain HTTP for load balancers; everything else is redirected.
        Awaitility.await("health").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> plain.send(get(dooneflow.base + "/v1/health", null), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200);
        Awaitility.await("the API over HTTPS").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> client.send(get(https + "/v1/me", dooneflow.token), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200);

        HttpResponse<String> me = client.send(get(https + "/v1/me", dooneflow.token), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode());
        assertTrue(me.sslSession().orElseThrow().getProtocol().matches("TLSv1\\.[23]"));
        assertEquals("max-age=31536000", me.headers().firstValue("Strict-Transport-Security").orElse(""));
        String org = JSON.readTree(me.body()).path("organizations").path(0).path("id").asText();
        HttpResponse<String> redirected = plain.send(get(dooneflow.base + "/v1/me?x=1", dooneflow.token),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(301, redirected.statusCode());
        assertEquals(https + "/v1/me?x=1", redirected.headers().firstValue("Location").orElse(""));
        assertFalse("no HSTS over plain HTTP", redirected.headers().firstValue("Strict-Transport-Security").isPresent());

        // Secrets that must never reach a log: a Twilio auth token and a Salesforce client secret.
        String twilioToken = UUID.randomUUID().toString().replace("-", "");
        String salesforceSecret = "canary-sf-" + UUID.randomUUID();
        assertEquals(200, send(client, "PUT", https + "/v1/organizations/" + org + "/integrations/twilio",
                "{\"accountSid\":\"AC0123456789abcdef0123456789abcdef\",\"authToken\":\"" + twilioToken
                        + "\",\"phoneNumber\":\"+14155552671\"}").statusCode());
        assertEquals(201, send(client, "POST", https + "/v1/organizations/" + org + "/integrations/salesforce",
                "{\"name\":\"Production\",\"environment\":\"production\",\"clientId\":\"3MVG9canary\",\"clientSecret\":\""
                        + salesforceSecret + "\"}").statusCode());

        // A webhook over HTTPS with its key runs its workflow; a POST to plain HTTP is redirected keeping its method.
        String workflow = JSON.readTree(send(client, "POST", https + "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"over tls\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"tls-orders\","
                        + "\"authentication\":\"key\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":"
                        + "\"http://127.0.0.1:" + sink.port() + "/ok\",\"payload\":{\"n\":\"{n}\"}}}]}").body()).path("id").asText();
        String key = JSON.readTree(send(client, "POST", https + "/v1/organizations/" + org + "/workflows/" + workflow
                + "/webhook-key", null).body()).path("webhookKey").asText();
        assertFalse(key.isEmpty());
        HttpResponse<String> accepted = client.send(webhook(https + "/webhook/tls-orders", key), HttpResponse.BodyHandlers.ofString());
        assertEquals(accepted.body(), 202, accepted.statusCode());
        String execution = JSON.readTree(accepted.body()).path("executionIds").path(0).asText();
        awaitStatus(client, https, org, execution, "succeeded");
        HttpResponse<String> plainWebhook = plain.send(webhook(dooneflow.base + "/webhook/tls-orders", key),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(308, plainWebhook.statusCode());
        assertEquals(https + "/webhook/tls-orders", plainWebhook.headers().firstValue("Location").orElse(""));
        String wrongKey = "canary-wrong-key-" + UUID.randomUUID();
        assertEquals(401, client.send(webhook(https + "/webhook/tls-orders", wrongKey), HttpResponse.BodyHandlers.discarding())
                .statusCode());

        // A step that fails for good is logged with the execution's context.
        String failing = JSON.readTree(send(client, "POST", https + "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"refused\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"tls-refused\"}},"
                        + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                        + "/refuses\"}}]}").body()).path("id").asText();
        String refused = JSON.readTree(client.send(webhook(https + "/webhook/tls-refused", null),
                HttpResponse.BodyHandlers.ofString()).body()).path("executionIds").path(0).asText();
        awaitStatus(client, https, org, refused, "failed");

        // The console's page over HTTPS.
        HttpResponse<String> console = client.send(get(https + "/sign-in", null), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, console.statusCode());
        assertTrue(console.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(console.headers().firstValue("Strict-Transport-Security").isPresent());
        assertTrue(console.headers().firstValue("Content-Security-Policy").isPresent());

        // Metrics are off unless configured: /metrics is not served.
        assertEquals(404, client.send(get(https + "/metrics", null), HttpResponse.BodyHandlers.discarding()).statusCode());

        dooneflow.kill(false); // flushes the logs
        List<Path> logs;
        try (Stream<Path> files = Files.walk(dooneflow.home.resolve("data/log"))) {
            logs = new ArrayList<>(files.filter(Files::isRegularFile).toList());
        }
        logs.add(dooneflow.home.resolve("console.log"));
        JsonNode failureLine = null;
        int lines = 0;
        for (String line : Files.readAllLines(dooneflow.home.resolve("data/log/karaf.log"))) {
            JsonNode entry = JSON.readTree(line); // every line is one JSON object
            assertTrue(line, entry.has("@timestamp") && entry.has("log.level") && entry.has("message"));
            lines++;
            if (refused.equals(entry.path("executionId").asText())) {
                failureLine = entry;
            }
        }
        assertTrue("karaf.log has lines: " + lines, lines > 50);
        assertTrue("a line names the failed execution", failureLine != null);
        assertEquals(org, failureLine.path("organizationId").asText());
        assertEquals(failing, failureLine.path("workflowId").asText());
        for (Path log : logs) {
            String text = Files.readString(log);
            for (String secret : List.of(dooneflow.token, twilioToken, salesforceSecret, key, wrongKey)) {
                assertFalse(log + " holds a secret", text.contains(secret));
            }
        }
    }

    private HttpRequest get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private HttpResponse<String> send(HttpClient client, String method, String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + dooneflow.token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest webhook(String url, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"));
        if (key != null) {
            b.header("X-Webhook-Key", key);
        }
        return b.build();
    }

    private void awaitStatus(HttpClient client, String https, String org, String execution, String status) {
        Awaitility.await("execution " + status).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> status.equals(JSON.readTree(client.send(get(https + "/v1/organizations/"
                        + org + "/executions/" + execution, dooneflow.token), HttpResponse.BodyHandlers.ofString()).body())
                        .path("status").asText()));
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
