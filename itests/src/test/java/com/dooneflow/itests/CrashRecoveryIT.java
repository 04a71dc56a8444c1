package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * The spine under a crash: the distribution runs as its own process on PostgreSQL, webhooks pour in, the
 * process is killed with SIGKILL mid-stream and started again. Every webhook that was answered 202 must
 * have exactly one execution, and every execution must complete (its delivery reaches the sink).
 */
public class CrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = DistributionProcess.HTTP;

    private DistributionProcess dooneflow;
    private WireMockServer sink;

    @Test
    public void everyAcknowledgedWebhookHasExactlyOneExecutionAndAllCompleteAfterAKill() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/deliveries").willReturn(WireMock.ok()));

        // A short lease, so the killed node's claims are taken over within seconds.
        dooneflow = new DistributionProcess("leaseSeconds = 10\n");
        String base = dooneflow.base;

        dooneflow.start();
        dooneflow.awaitHealthy();
        Awaitility.await("the console on DOONEFLOW_SSH_PORT").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> {
                    try (Socket ssh = new Socket("127.0.0.1", dooneflow.sshPort)) {
                        return ssh.isConnected();
                    }
                });
        // Logs and configuration (passwords, keys) are the server's user's alone, though unpacked or written 0644.
        for (String file : List.of("data/log/karaf.log", "etc/config.properties", "etc/com.dooneflow.cfg")) {
            assertEquals(file, PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(dooneflow.home.resolve(file)));
        }
        String org = dooneflow.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();
        JsonNode created = dooneflow.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"crash\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"crash\"}},"
                        + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                        + "/deliveries\",\"payload\":{\"n\":\"{n}\"}},\"retry\":{\"initialDelayMillis\":200}}]}");
        assertTrue(created.toString(), created.has("id"));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean firing = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            clients.execute(() -> {
                for (int n = 0; firing.get() && n < 100_000; n++) {
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/webhook/crash"))
                                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            JSON.readTree(r.body()).path("executionIds").forEach(id -> acknowledged.add(id.asText()));
                        }
                    } catch (IOException e) {
                        // the server is gone: expected after the kill
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
        dooneflow.kill(true);
        firing.set(false);
        assertTrue("the distribution is really gone", !dooneflow.isUp());
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        int ackedBeforeKill = acknowledged.size();

        dooneflow.start();
        dooneflow.awaitHealthy();
        Awaitility.await("all executions finished").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> executions(org, "succeeded").size() >= ackedBeforeKill
                        && executions(org, "queued").isEmpty() && executions(org, "running").isEmpty());

        List<String> all = executions(org, null);
        assertEquals("no execution without a 202 and none twice", Set.copyOf(all).size(), all.size());
        assertTrue("every acknowledged webhook has its execution", all.containsAll(acknowledged));
        assertEquals("all executions succeeded", all.size(), executions(org, "succeeded").size());
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        for (LoggedRequest r : sink.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/deliveries")))) {
            delivered.add(r.getHeader("Idempotency-Key").replaceAll(":0$", ""));
        }
        assertTrue("every acknowledged execution delivered", delivered.containsAll(acknowledged));
        System.out.println("crash test: " + ackedBeforeKill + " acknowledged before the kill, " + all.size()
                + " executions, " + delivered.size() + " distinct deliveries");
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

    private List<String> executions(String org, String status) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = dooneflow.request("GET", "/v1/organizations/" + org + "/executions?limit=500"
                    + (status == null ? "" : "&status=" + status) + (cursor == null ? "" : "&cursor=" + cursor), null);
            page.path("items").forEach(e -> ids.add(e.path("id").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }
}
