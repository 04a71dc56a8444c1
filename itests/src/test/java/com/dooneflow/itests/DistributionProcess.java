package com.dooneflow.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The built distribution as its own process ({@code bin/karaf server}) on a fresh PostgreSQL database and a
 * free port, for tests that need it from outside: killing it, or driving it with a browser.
 */
final class DistributionProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path home;
    final String base;
    final String token;
    /** The console's SSH port, set through DOONEFLOW_SSH_PORT: distributions on one host must not share 8101. */
    final int sshPort = DooneFlowTestSupport.freePort();
    private Process karaf;
    /** Environment variables for the distribution, such as DOONEFLOW_LOG_FORMAT; see {@link #env}. */
    private final java.util.Map<String, String> env = new java.util.HashMap<>();

    /** Unpacks a copy; {@code engineConfig} goes to {@code etc/com.dooneflow.engine.cfg} when not null. */
    DistributionProcess(String engineConfig) throws IOException {
        this(engineConfig, DooneFlowTestSupport.freshPostgresDatabase(), "distribution-owner-" + UUID.randomUUID(), null);
    }

    /**
     * A node of a cluster: the database at {@code dbUrl}, the first owner's {@code token} (the node that starts first
     * creates the owner), and the master key all nodes share (base64; null: each generates its own).
     */
    DistributionProcess(String engineConfig, String dbUrl, String token, String masterKey) throws IOException {
        this.token = token;
        home = unpack();
        int port = DooneFlowTestSupport.freePort();
        base = "http://127.0.0.1:" + port;
        Files.writeString(home.resolve("etc/com.dooneflow.cfg"), "db.url = " + dbUrl
                + "\ndb.user = postgres\n.bootstrap.token = " + token + "\noutboundAllowlist = 127.0.0.1/32\n"
                + "publicUrl = " + base + "\n" + (masterKey == null ? "" : ".masterKey = " + masterKey + "\n"));
        if (engineConfig != null) {
            Files.writeString(home.resolve("etc/com.dooneflow.engine.cfg"), engineConfig);
        }
        Files.writeString(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + port + "\n");
    }

    /** A fresh master key (base64 of 32 random bytes) for the nodes of one cluster to share. */
    static String newMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Adds a setting to {@code etc/com.dooneflow.cfg}, such as {@code roles = worker}; before {@link #start()}. */
    void setting(String line) throws IOException {
        Files.writeString(home.resolve("etc/com.dooneflow.cfg"), line + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    /** Sets an environment variable of the distribution; before {@link #start()}. */
    void env(String name, String value) {
        env.put(name, value);
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DOONEFLOW_"));
        pb.environment().put("DOONEFLOW_SSH_PORT", String.valueOf(sshPort));
        pb.environment().putAll(env);
        karaf = pb.start();
    }

    /** Health is up (the database is migrated and every route is served) and the bootstrap owner signs in. */
    void awaitHealthy() {
        AtomicReference<String> health = new AtomicReference<>();
        try {
            Awaitility.await("health").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions().until(() -> {
                        HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/health"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        health.set(reply.body());
                        return reply.statusCode() == 200 && request("GET", "/v1/me", null).has("organizations");
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(base + " not healthy within 120 s; the last /v1/health said " + health.get(), e);
        }
    }

    /** Health is up; for a node that serves no API (no api role), which only answers the health check. */
    JsonNode awaitHealth() {
        return Awaitility.await("health").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> request("GET", "/v1/health", null), h -> "UP".equals(h.path("status").asText()));
    }

    /** The HTTP status of an API call as the owner. */
    int status(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Whether the distribution ended by itself within the timeout. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return karaf != null && karaf.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isUp() {
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

    /** An API call as the owner; {@code path} starts with {@code /v1}. */
    JsonNode request(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /**
     * Ends the distribution: {@code bin/karaf} runs the JVM as a child process, so the signal goes to the
     * JVM itself (SIGKILL when {@code force}), and we wait until it is gone.
     */
    void kill(boolean force) throws Exception {
        if (karaf == null) {
            return;
        }
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
        karaf = null;
    }

    @Override
    public void close() throws Exception {
        kill(false);
    }

    private static Path unpack() throws IOException {
        Path source = Path.of(System.getProperty("dooneflow.assembly"));
        Path target = Path.of("target", "distributions", UUID.randomUUID().toString()).toAbsolutePath();
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
}
