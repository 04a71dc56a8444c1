package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

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
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String TOKEN = "crash-test-owner-" + UUID.randomUUID();

    private Process karaf;
    private WireMockServer sink;

    @Test
    public void everyAcknowledgedWebhookHasExactlyOneExecutionAndAllCompleteAfterAKill() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/deliveries").willReturn(WireMock.ok()));

        Path home = unpack();
        int port = freePort();
        String db = DooneFlowTestSupport.freshPostgresDatabase();
        Files.writeString(home.resolve("etc/com.dooneflow.cfg"), "db.url = " + db + "\ndb.user = postgres\n"
                + ".bootstrap.token = " + TOKEN + "\noutboundAllowlist = 127.0.0.1/32\n");
        // A short lease, so the killed node's claims are taken over within seconds.
        Files.writeString(home.resolve("etc/com.dooneflow.engine.cfg"), "leaseSeconds = 10\n");
        Files.writeString(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + port + "\n");
        String base = "http://127.0.0.1:" + port;

        start(home);
        awaitHealthy(base);
        String org = request("GET", base + "/v1/me", null).path("organizations").path(0).path("id").asText();
        JsonNode created = request("POST", base + "/v1/organizations/" + org + "/workflows",
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
        kill(true);
        firing.set(false);
        assertTrue("the distribution is really gone", !isUp(base));
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        int ackedBeforeKill = acknowledged.size();

        start(home);
        awaitHealthy(base);
        Awaitility.await("all executions finished").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> executions(base, org, "succeeded").size() >= ackedBeforeKill
                        && executions(base, org, "queued").isEmpty() && executions(base, org, "running").isEmpty());

        List<String> all = executions(base, org, null);
        assertEquals("no execution without a 202 and none twice", Set.copyOf(all).size(), all.size());
        assertTrue("every acknowledged webhook has its execution", all.containsAll(acknowledged));
        assertEquals("all executions succeeded", all.size(), executions(base, org, "succeeded").size());
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
        if (karaf != null) {
            kill(false);
        }
        if (sink != null) {
            sink.stop();
        }
    }

    /**
     * Ends the distribution: {@code bin/karaf} runs the JVM as a child process, so the signal goes to the
     * JVM itself (SIGKILL when {@code force}), and we wait until it is gone.
     */
    private void kill(boolean force) throws Exception {
        List<ProcessHandle> jvms = karaf.descendants().toList();
        for (ProcessHandle p : jvms) {
            if (force) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
        }
        for (ProcessHandle p : jvms) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        karaf.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    private static boolean isUp(String base) {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/health/live")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void start(Path home) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DOONEFLOW_"));
        karaf = pb.start();
    }

    private static Path unpack() throws IOException {
        Path source = Path.of(System.getProperty("dooneflow.assembly"));
        Path target = Path.of("target", "crash", UUID.randomUUID().toString()).toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!source.relativize(p).startsWith("data")) {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /** Health is up and the API answers JSON (the REST application redeploys while resources arrive). */
    private static void awaitHealthy(String base) {
        Awaitility.await("health").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && request("GET", base + "/v1/connectors", null).toString().contains("webhook.call")
                        && request("GET", base + "/v1/me", null).has("organizations")
                        // the connectors' resources arrive last and redeploy the REST application as they come
                        && DooneFlowTestSupport.CONNECTOR_ROUTES.stream().allMatch(route -> unauthenticatedStatus(base
                        + route) == 401));
    }

    private static int unauthenticatedStatus(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> executions(String base, String org, String status) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = request("GET", base + "/v1/organizations/" + org + "/executions?limit=500"
                    + (status == null ? "" : "&status=" + status) + (cursor == null ? "" : "&cursor=" + cursor), null);
            page.path("items").forEach(e -> ids.add(e.path("id").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    private static JsonNode request(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TOKEN);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
