package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Two nodes on one PostgreSQL database, run as processes. Node A dies (kill -9) in the middle of its steps: node B
 * notices within seconds — long before A's 60 s leases would run out — takes A's executions over and completes each,
 * delivering again only what was in flight, with the same idempotency key.
 */
public class ClusterIT {

    private DistributionProcess a;
    private DistributionProcess b;
    private WireMockServer sink;

    @Test
    public void aKilledNodesExecutionsAreTakenOverWithinSecondsAndCompleteOnce() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/slow").willReturn(WireMock.ok().withFixedDelay(120_000)));
        String db = DooneFlowTestSupport.freshPostgresDatabase();
        String token = "cluster-owner-" + UUID.randomUUID();
        String masterKey = DistributionProcess.newMasterKey();
        // A lease far longer than the takeover we expect: only the node's missed heartbeats can explain a fast one.
        a = new DistributionProcess("leaseSeconds = 60\n", db, token, masterKey);
        b = new DistributionProcess("leaseSeconds = 60\n", db, token, masterKey);

        a.start();
        a.awaitHealthy();
        String org = a.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();
        JsonNode created = a.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"slow\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"slow\"}},"
                        + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                        + "/slow\",\"timeoutSeconds\":120}}]}");
        assertTrue(created.toString(), created.has("id"));
        for (int i = 0; i < 5; i++) {
            a.request("POST", "/webhook/slow", "{\"n\":" + i + "}");
        }
        // All five run on node A, each waiting for its slow answer.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> requests().size() == 5);

        b.start();
        b.awaitHealthy();
        // Both nodes beat into the database.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodes(db).values().stream().filter(x -> x).count() == 2);
        sink.resetMappings();
        sink.stubFor(WireMock.post("/slow").willReturn(WireMock.ok()));
        a.kill(true);
        long killed = System.nanoTime();

        Awaitility.await("node B takes over").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> requests().size() == 10);
        long takeover = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("cluster test: node B delivered the 5 executions node A ran " + takeover
                + " ms after A was killed (lease 60 s)");
        assertTrue("taken over within 15 s, not a lease later: " + takeover + " ms", takeover < 15_000);

        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                b.request("GET", "/v1/organizations/" + org + "/executions?status=succeeded", null)
                        .path("items").size() == 5);
        Map<String, Integer> byKey = new HashMap<>();
        for (LoggedRequest r : requests()) {
            byKey.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        assertEquals("each execution delivered twice (in flight at the kill), with one key: " + byKey, 5, byKey.size());
        assertTrue(byKey.toString(), byKey.values().stream().allMatch(n -> n == 2));
        assertEquals("node A shows as dead, B as alive", 1, nodes(db).values().stream().filter(x -> x).count());
    }

    /**
     * Roles: node A serves the API only, node B works and polls. A webhook A accepts waits, queued, while no worker
     * runs; B, once started, runs it. B answers the API 503 naming its roles, and the nodes list shows both.
     */
    @Test
    public void aWebhookAcceptedByTheApiNodeRunsOnTheWorkerNode() throws Exception {
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/slow").willReturn(WireMock.ok()));
        String db = DooneFlowTestSupport.freshPostgresDatabase();
        String token = "cluster-owner-" + UUID.randomUUID();
        String masterKey = DistributionProcess.newMasterKey();
        a = new DistributionProcess(null, db, token, masterKey);
        a.setting("roles = api");
        b = new DistributionProcess(null, db, token, masterKey);
        b.setting("roles = worker,poller");

        a.start();
        a.awaitHealthy();
        JsonNode health = a.request("GET", "/v1/health", null);
        assertEquals("[\"api\"]", health.path("roles").toString());
        assertTrue("an api node has no worker to report on: " + health, health.path("claiming").isMissingNode());
        String org = a.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();
        assertTrue("the first owner is an installation administrator",
                a.request("GET", "/v1/me", null).path("installationAdmin").asBoolean());
        JsonNode created = a.request("POST", "/v1/organizations/" + org + "/workflows",
                "{\"name\":\"roles\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"roles\"}},"
                        + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:"
                        + sink.port() + "/slow\"}}]}");
        assertTrue(created.toString(), created.has("id"));
        JsonNode accepted = a.request("POST", "/webhook/roles", "{\"n\":1}");
        String execution = accepted.path("executionIds").path(0).asText();
        assertTrue(accepted.toString(), !execution.isEmpty());
        // No worker runs yet: the execution stays queued on the api node.
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                "queued".equals(a.request("GET", "/v1/organizations/" + org + "/executions/" + execution, null)
                        .path("status").asText()));
        assertEquals(0, requests().size());

        b.start();
        JsonNode workerHealth = b.awaitHealth();
        assertEquals("[\"worker\",\"poller\"]", workerHealth.path("roles").toString());
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                b.request("GET", "/v1/health", null).path("claiming").asBoolean());
        Awaitility.await("the worker node runs it").atMost(Duration.ofSeconds(30)).until(() -> requests().size() == 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                "succeeded".equals(a.request("GET", "/v1/organizations/" + org + "/executions/" + execution, null)
                        .path("status").asText()));

        JsonNode refused = b.request("GET", "/v1/me", null);
        assertEquals(503, b.status("GET", "/v1/me"));
        assertTrue(refused.toString(), refused.path("detail").asText().contains("without api"));
        assertEquals(503, b.status("POST", "/webhook/roles"));

        JsonNode nodes = a.request("GET", "/v1/cluster/nodes", null).path("items");
        assertEquals(nodes.toString(), 2, nodes.size());
        Map<String, JsonNode> byRoles = new HashMap<>();
        nodes.forEach(n -> byRoles.put(n.path("roles").toString(), n));
        JsonNode apiNode = byRoles.get("[\"api\"]");
        JsonNode workerNode = byRoles.get("[\"worker\",\"poller\"]");
        assertTrue(nodes.toString(), apiNode != null && workerNode != null);
        assertEquals(a.base, apiNode.path("address").asText());
        assertEquals(b.base, workerNode.path("address").asText());
        assertEquals("[]", apiNode.path("actionTypes").toString());
        assertTrue(workerNode.toString(), workerNode.path("actionTypes").toString().contains("\"webhook.call\""));
        assertTrue(workerNode.toString(), workerNode.path("alive").asBoolean() && !workerNode.path("version").asText().isEmpty());
    }

    /** A misspelt role stops the node at start, saying which: it never runs half its part. */
    @Test
    public void aNodeWithAnUnknownRoleRefusesToStartNamingIt() throws Exception {
        a = new DistributionProcess(null, DooneFlowTestSupport.freshPostgresDatabase(), "cluster-owner-" + UUID.randomUUID(),
                null);
        a.setting("roles = api,wroker");

        a.start();

        assertTrue("the node stopped by itself", a.awaitExit(Duration.ofSeconds(120)));
        String console = Files.readString(a.home.resolve("console.log"));
        assertTrue(console, console.contains("DooneFlow does not start: unknown node role 'wroker'"));
    }

    private List<LoggedRequest> requests() {
        return sink.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/slow")));
    }

    /** Node id → whether it beat within the last 10 s, as the database holds them. */
    private static Map<String, Boolean> nodes(String db) throws Exception {
        Map<String, Boolean> nodes = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "select id, heartbeat_at > now() - interval '10 seconds' from df_node")) {
            while (rs.next()) {
                nodes.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return nodes;
    }

    @After
    public void stop() throws Exception {
        for (DistributionProcess node : new DistributionProcess[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (sink != null) {
            sink.stop();
        }
    }
}
