package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;

/**
 * Three distributions as processes on one PostgreSQL database, the proof of a cluster: the nodes list shows three; a
 * connector installed through {@code POST /v1/connectors/install} arrives on all three, goes from all three when
 * removed, and executions that waited for it meanwhile complete once it is back; webhooks sent to every node run
 * on every node; a webhook switched to key authentication on one node is refused unauthenticated by the others at
 * once; an execution running on one node is cancelled from another; a step longer than the (short) lease runs once;
 * one node killed with {@code kill -9} under load loses nothing — the others take its work over within 15 s, and only
 * the calls it had in flight are delivered again, with the same {@code Idempotency-Key}. (ClusterIT measures the
 * takeover of long steps, the roles and the start refusals; this class does not repeat them.)
 */
public class ThreeNodeClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WEBHOOKS = 300;
    private static final String ACME_FEATURES = "file:connectors/acme-features.xml";
    /** Short, so that the slow steps below outlast it: they must still run once, their leases renewed. */
    private static final int LEASE_SECONDS = 10;
    private static final int SLOW_STEP_MILLIS = 15_000;

    private final List<DistributionProcess> nodes = new ArrayList<>();
    private WireMockServer sink;

    @Test
    public void threeNodesShareConnectorsAndWorkAndSurviveTheLossOfOne() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(120).asynchronousResponseEnabled(true).asynchronousResponseThreads(60));
        sink.start();
        sink.stubFor(WireMock.post("/load").willReturn(WireMock.ok().withFixedDelay(1_500)));
        String db = DooneFlowTestSupport.freshPostgresDatabase();
        String token = "cluster3-owner-" + UUID.randomUUID();
        String masterKey = DistributionProcess.newMasterKey();
        for (int i = 0; i < 3; i++) {
            DistributionProcess node = new DistributionProcess("leaseSeconds = " + LEASE_SECONDS + "\n", db, token, masterKey);
            node.setting("nodeId = node-" + (i + 1));
            writeAcmeFeatures(node.home);
            nodes.add(node);
        }
        DistributionProcess one = nodes.get(0);
        one.start(); // first alone: it creates the owner the others find
        awaitHealthy(one);
        nodes.get(1).start();
        nodes.get(2).start();
        awaitHealthy(nodes.get(1));
        awaitHealthy(nodes.get(2));
        String org = one.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();

        JsonNode listed = one.request("GET", "/v1/cluster/nodes", null).path("items");
        assertEquals(listed.toString(), 3, listed.size());
        assertTrue(listed.toString(), StreamSupport.stream(listed.spliterator(), false).allMatch(n -> n.path("alive").asBoolean()));

        connectorInstalledThroughTheApiReachesEveryNode(org);
        aWebhookSwitchedToKeyOnOneNodeIsRefusedUnauthenticatedByTheOthersAtOnce(org);
        cancelledFromAnotherNodeAndStepsLongerThanTheLeaseRunOnce(db, org);
        loadSpreadsOverEveryNodeAndSurvivesAKill(db, org);
    }

    private void connectorInstalledThroughTheApiReachesEveryNode(String org) throws Exception {
        DistributionProcess one = nodes.get(0);
        JsonNode refused = one.request("POST", "/v1/connectors/install",
                "{\"repository\":\"https://repo.example/acme.xml\",\"feature\":\"acme-connector\"}");
        assertEquals(refused.toString(), 422, refused.path("status").asInt());
        assertEquals(refused.toString(), "repository", refused.path("errors").path(0).path("field").asText());

        long asked = System.nanoTime();
        JsonNode entry = one.request("POST", "/v1/connectors/install",
                "{\"repository\":\"" + ACME_FEATURES + "\",\"feature\":\"acme-connector\"}");
        assertEquals(entry.toString(), "acme-connector", entry.path("feature").asText());
        awaitEveryNode("installed");
        System.out.println("three nodes: acme-connector installed on all three " + (System.nanoTime() - asked) / 1_000_000
                + " ms after POST /v1/connectors/install");
        // Each node runs the type, and GET /v1/connectors of any node says which nodes run it.
        for (DistributionProcess node : nodes) {
            Awaitility.await("acme.echo runs on every node").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> acmeNodes(node).size() == 3);
        }
        JsonNode workflow = one.request("POST", "/v1/organizations/" + org + "/workflows", "{\"name\":\"acme\","
                + "\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"acme\"}},"
                + "\"actions\":[{\"type\":\"acme.echo\",\"params\":{\"text\":\"hi \",\"times\":2}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));

        one.request("DELETE", "/v1/connectors/install/acme-connector", null);
        awaitEveryNode("removed");
        for (DistributionProcess node : nodes) {
            Awaitility.await("acme.echo gone from every node").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> acmeNodes(node).isEmpty());
        }
        List<String> waiting = new ArrayList<>();
        for (DistributionProcess node : nodes) {
            waiting.add(node.request("POST", "/webhook/acme", "{\"n\":1}").path("executionIds").path(0).asText());
        }
        for (String id : waiting) {
            Awaitility.await("execution waits for acme.echo").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    "waiting".equals(one.request("GET", "/v1/organizations/" + org + "/executions/" + id, null)
                            .path("status").asText()));
        }

        one.request("POST", "/v1/connectors/install", "{\"repository\":\"" + ACME_FEATURES + "\",\"feature\":\"acme-connector\"}");
        awaitEveryNode("installed");
        for (String id : waiting) {
            Awaitility.await("the waiting execution completes").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    "succeeded".equals(one.request("GET", "/v1/organizations/" + org + "/executions/" + id, null)
                            .path("status").asText()));
        }
    }

    /**
     * Nodes 2 and 3 have the open webhook's route cached; node 1 switches it to key authentication. The first
     * unauthenticated call each of them gets afterwards is refused (their intake sees the stored version is newer than
     * the route's and authenticates again), well within a second of the change.
     */
    private void aWebhookSwitchedToKeyOnOneNodeIsRefusedUnauthenticatedByTheOthersAtOnce(String org) throws Exception {
        DistributionProcess one = nodes.get(0);
        sink.stubFor(WireMock.post("/quick").willReturn(WireMock.ok()));
        JsonNode workflow = one.request("POST", "/v1/organizations/" + org + "/workflows", "{\"name\":\"switch\","
                + "\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"switch\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                + "/quick\"}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));
        for (DistributionProcess node : nodes.subList(1, 3)) {
            Awaitility.await("the open webhook is served by " + node.base).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> webhook(node, "switch") == 202);
        }

        JsonNode patched = one.request("PATCH", "/v1/organizations/" + org + "/workflows/" + workflow.path("id").asText(),
                "{\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"switch\",\"authentication\":\"key\"}}}");
        long changed = System.nanoTime();
        assertEquals(patched.toString(), "key", patched.path("trigger").path("params").path("authentication").asText());

        for (DistributionProcess node : nodes.subList(1, 3)) {
            assertEquals("the first unauthenticated call to " + node.base + " after the change", 401,
                    webhook(node, "switch"));
            long after = (System.nanoTime() - changed) / 1_000_000;
            System.out.println("three nodes: " + node.base + " refused an unauthenticated webhook " + after
                    + " ms after node 1 switched it to key authentication");
            assertTrue("refused within 1 s: " + after + " ms", after < 1_000);
        }
    }

    /**
     * Slow steps (longer than the lease) on every node: one running on node 2 is cancelled through node 1 and ends
     * cancelled; every other one succeeds with exactly one call, its lease renewed while it ran.
     */
    private void cancelledFromAnotherNodeAndStepsLongerThanTheLeaseRunOnce(String db, String org) throws Exception {
        DistributionProcess one = nodes.get(0);
        sink.stubFor(WireMock.post("/slow").willReturn(WireMock.ok().withFixedDelay(SLOW_STEP_MILLIS)));
        JsonNode workflow = one.request("POST", "/v1/organizations/" + org + "/workflows", "{\"name\":\"slow\","
                + "\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"slow\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                + "/slow\",\"timeoutSeconds\":60}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));
        Set<String> slow = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            DistributionProcess node = nodes.get(i % 3);
            String body = "{\"n\":" + i + "}";
            // A workflow made on node 1 is routed by the others once their change watcher sees it (250 ms).
            slow.add(Awaitility.await("node " + (i % 3 + 1) + " routes the new workflow").atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(50)).until(() -> node.request("POST", "/webhook/slow", body)
                            .path("executionIds").path(0).asText(), id -> !id.isEmpty()));
        }
        String onNode2 = Awaitility.await("a slow execution runs on node 2").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> runningByNode(db).getOrDefault("node-2", Set.of())
                        .stream().filter(slow::contains).findFirst(), java.util.Optional::isPresent).get();

        JsonNode cancel = one.request("POST", "/v1/organizations/" + org + "/executions/" + onNode2 + "/cancel", null);
        long asked = System.nanoTime();
        assertEquals(cancel.toString(), onNode2, cancel.path("id").asText());
        Awaitility.await("the execution on node 2 ends cancelled").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> "cancelled".equals(one.request("GET",
                        "/v1/organizations/" + org + "/executions/" + onNode2, null).path("status").asText()));
        System.out.println("three nodes: an execution running on node 2 cancelled through node 1 in "
                + (System.nanoTime() - asked) / 1_000_000 + " ms");

        Set<String> others = new HashSet<>(slow);
        others.remove(onNode2);
        Awaitility.await("the other slow executions succeed").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> succeeded(db, others) == others.size());
        Map<String, Integer> calls = new HashMap<>();
        for (LoggedRequest r : sink.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/slow")))) {
            String key = r.getHeader("Idempotency-Key");
            calls.merge(key.substring(0, key.lastIndexOf(':')), 1, Integer::sum);
        }
        for (String id : others) {
            assertEquals("calls of " + id + " (a " + SLOW_STEP_MILLIS + " ms step, a " + LEASE_SECONDS + " s lease): "
                    + calls, Integer.valueOf(1), calls.get(id));
        }
    }

    /** The HTTP status of an unauthenticated webhook call to {@code node}. */
    private static int webhook(DistributionProcess node, String path) throws Exception {
        return DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(node.base + "/webhook/" + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private void loadSpreadsOverEveryNodeAndSurvivesAKill(String db, String org) throws Exception {
        DistributionProcess one = nodes.get(0);
        JsonNode workflow = one.request("POST", "/v1/organizations/" + org + "/workflows", "{\"name\":\"load\","
                + "\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"load\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                + "/load\",\"timeoutSeconds\":30}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));

        // Webhooks round-robin over the three nodes; while they run, note which nodes hold executions.
        Set<String> runningOn = ConcurrentHashMap.newKeySet();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < WEBHOOKS; i++) {
                DistributionProcess node = nodes.get(i % 3);
                int n = i;
                sent.add(callers.submit(() -> {
                    HttpResponse<String> r = DistributionProcess.HTTP.send(HttpRequest.newBuilder(
                            URI.create(node.base + "/webhook/load")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(r.body(), 202, r.statusCode());
                    accepted.add(JSON.readTree(r.body()).path("executionIds").path(0).asText());
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(WEBHOOKS, accepted.size());
        Awaitility.await("every node runs some of the load").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    runningOn.addAll(runningByNode(db).keySet());
                    return runningOn.size() == 3;
                });

        DistributionProcess victim = nodes.get(2);
        victim.kill(true);
        long killed = System.nanoTime();
        Set<String> inFlight = runningByNode(db).getOrDefault("node-3", Set.of());
        System.out.println("three nodes: node-3 killed holding " + inFlight.size() + " executions; "
                + requests().size() + " of " + WEBHOOKS + " calls made so far");
        assertTrue("node-3 held work when it was killed", !inFlight.isEmpty());

        Awaitility.await("the others take node-3's executions over").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> !runningByNode(db).containsKey("node-3"));
        long takeover = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("three nodes: node-3's executions taken over " + takeover + " ms after kill -9 (lease "
                + LEASE_SECONDS + " s)");
        assertTrue("taken over within 15 s: " + takeover + " ms", takeover <= 15_000);

        Awaitility.await("every accepted webhook ran").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> succeeded(db, accepted) == WEBHOOKS);
        Map<String, Integer> byKey = new HashMap<>();
        for (LoggedRequest r : requests()) {
            byKey.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        Set<String> calledExecutions = new HashSet<>();
        byKey.keySet().forEach(k -> calledExecutions.add(k.substring(0, k.lastIndexOf(':'))));
        assertEquals("0 lost: every accepted execution called the sink", accepted, calledExecutions);
        List<String> repeated = byKey.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey().substring(0, e.getKey().lastIndexOf(':'))).toList();
        System.out.println("three nodes: " + repeated.size() + " calls delivered again, each with its first key");
        assertTrue("only node-3's calls in flight are repeated: " + repeated + " not all in " + inFlight,
                inFlight.containsAll(repeated));
        assertTrue(byKey.toString(), byKey.values().stream().allMatch(n -> n <= 2));

        JsonNode listed = one.request("GET", "/v1/cluster/nodes", null).path("items");
        assertEquals(listed.toString(), 3, listed.size());
        assertEquals(listed.toString(), 2, StreamSupport.stream(listed.spliterator(), false)
                .filter(n -> n.path("alive").asBoolean()).count());
    }

    /**
     * The acme example connector as a features repository in the node's {@code connectors/} folder: its bundle is
     * the jar the example's build made (the itests build it first).
     */
    private static void writeAcmeFeatures(Path home) throws Exception {
        Path jar = Path.of(System.getProperty("dooneflow.it.acme.jar")).toAbsolutePath();
        Files.createDirectories(home.resolve("connectors"));
        Files.writeString(home.resolve("connectors/acme-features.xml"), "<features name=\"acme-it\" "
                + "xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"acme-connector\" version=\"1.0.0\">\n"
                + "    <feature>dooneflow-core</feature>\n"
                + "    <bundle>" + jar.toUri() + "</bundle>\n"
                + "  </feature>\n</features>\n");
    }

    /**
     * Health is up and the owner signs in. Two distributions booting at once on a shared 2-core host can take minutes
     * (each boot alone takes 15-30 s), so this waits longer than {@link DistributionProcess#awaitHealthy()}.
     */
    private static void awaitHealthy(DistributionProcess node) {
        Awaitility.await("health of " + node.base).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> DistributionProcess.HTTP.send(HttpRequest.newBuilder(
                        URI.create(node.base + "/v1/health")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200 && node.request("GET", "/v1/me", null).has("organizations"));
    }

    /** Waits until every living node reports the acme-connector entry in {@code state}. */
    private void awaitEveryNode(String state) {
        DistributionProcess one = nodes.get(0);
        Awaitility.await("acme-connector " + state + " on every node").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    JsonNode items = one.request("GET", "/v1/connectors/install", null).path("items");
                    JsonNode states = items.path(0).path("nodes");
                    if (StreamSupport.stream(states.spliterator(), false).anyMatch(n -> "failed".equals(n.path("state").asText()))) {
                        throw new AssertionError("a node failed: " + items); // not ignored: fails at once
                    }
                    return states.size() == 3 && StreamSupport.stream(states.spliterator(), false)
                            .allMatch(n -> state.equals(n.path("state").asText()));
                });
    }

    /** The nodes that GET /v1/connectors of {@code node} says run acme.echo. */
    private static Set<String> acmeNodes(DistributionProcess node) throws Exception {
        for (JsonNode action : node.request("GET", "/v1/connectors", null).path("actions")) {
            if ("acme.echo".equals(action.path("type").asText())) {
                Set<String> ids = new HashSet<>();
                action.path("nodes").forEach(n -> ids.add(n.asText()));
                return ids;
            }
        }
        return Set.of();
    }

    private List<LoggedRequest> requests() {
        return sink.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/load")));
    }

    /** Node id → the executions it holds running now (a lease owner is {@code <node>:<token>}). */
    private static Map<String, Set<String>> runningByNode(String db) throws Exception {
        Map<String, Set<String>> running = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "select id, lease_owner from df_execution where status = 'running' and lease_owner is not null")) {
            while (rs.next()) {
                String owner = rs.getString(2);
                running.computeIfAbsent(owner.substring(0, owner.lastIndexOf(':')), k -> new HashSet<>())
                        .add(rs.getString(1));
            }
        }
        return running;
    }

    private static int succeeded(String db, Set<String> ids) throws Exception {
        int n = 0;
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("select id from df_execution where status = 'succeeded'")) {
            while (rs.next()) {
                n += ids.contains(rs.getString(1)) ? 1 : 0;
            }
        }
        return n;
    }

    @After
    public void stop() throws Exception {
        for (DistributionProcess node : nodes) {
            node.close();
        }
        if (sink != null) {
            sink.stop();
        }
    }
}
