package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * The IDLE connection moves with the inbox's lease: two nodes on one PostgreSQL database watch one Dovecot inbox;
 * the node holding the lease keeps the IDLE connection, and when it dies (kill -9) the other node takes the lease
 * at its next poll after declaring it dead, catches up the mail that arrived meanwhile and listens with IDLE itself.
 * Every email runs its workflow exactly once. The inbox names the server by IP address, which its certificate lists.
 */
public class EmailIdleClusterIT {

    /** The shortest interval allowed: it bounds how long the inbox waits for the other node's poll. */
    private static final int POLL_SECONDS = 30;

    private DistributionProcess a;
    private DistributionProcess b;
    private WireMockServer sink;

    @Test
    public void whenTheNodeHoldingTheInboxDiesTheOtherNodeTakesItsLeaseAndItsIdleConnection() throws Exception {
        HostDovecot dovecot = HostDovecot.start(HostDovecotOAuth.start() + "/introspect");
        DovecotCommands mail = dovecot.commands();
        String user = HostDovecot.MOVED_USER;
        sink = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sink.start();
        sink.stubFor(WireMock.post("/email").willReturn(WireMock.ok()));
        String db = DooneFlowTestSupport.freshPostgresDatabase();
        String token = "cluster-owner-" + UUID.randomUUID();
        String masterKey = DistributionProcess.newMasterKey();
        a = node(db, token, masterKey, dovecot);
        b = node(db, token, masterKey, dovecot);

        a.start();
        a.awaitHealthy();
        String org = a.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();
        JsonNode inbox = a.request("POST", inboxes(org), "{\"emailAddress\":\"" + user + "@it.example\","
                + "\"host\":\"127.0.0.1\",\"port\":" + dovecot.imapsPort + ",\"security\":\"ssl\",\"username\":\""
                + user + "\",\"password\":\"" + HostDovecot.PASSWORD + "\",\"pollIntervalSeconds\":" + POLL_SECONDS + "}");
        String inboxId = inbox.path("id").asText();
        assertTrue(inbox.toString(), !inboxId.isEmpty());
        JsonNode tested = a.request("POST", inboxes(org) + "/" + inboxId + "/test", null);
        assertTrue("an address in the certificate passes the name check: " + tested, tested.path("ok").asBoolean());
        JsonNode workflow = a.request("POST", "/v1/organizations/" + org + "/workflows", "{\"name\":\"moved\","
                + "\"trigger\":{\"type\":\"email.imap\",\"params\":{\"inboxId\":\"" + inboxId + "\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:" + sink.port()
                + "/email\",\"payload\":{\"subject\":\"{email_subject}\"}}}]}");
        assertTrue(workflow.toString(), workflow.has("id"));
        Awaitility.await("node A listens with IDLE").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                "idle".equals(a.request("GET", inboxes(org) + "/" + inboxId, null).path("mode").asText()));
        deliverAndAwait(mail, user, org, a, "Before the move", Duration.ofSeconds(2));

        b.start();
        b.awaitHealthy();
        assertEquals("node B stands by: A keeps the inbox", 1, inboxesPolled(b, a.base));
        assertEquals(0, inboxesPolled(b, b.base));

        a.kill(true);
        long killed = System.nanoTime();
        mail.deliver(user, "During the move");
        Awaitility.await("node B takes the inbox and catches up").atMost(Duration.ofSeconds(POLL_SECONDS + 30))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> executionsAbout(b, org, "During the move") == 1);
        long moved = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("IDLE cluster test: node B ran the mail of the move " + moved + " ms after node A was killed"
                + " (poll interval " + POLL_SECONDS + " s)");
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> inboxesPolled(b, b.base) == 1);
        Awaitility.await("node B listens with IDLE").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                "idle".equals(b.request("GET", inboxes(org) + "/" + inboxId, null).path("mode").asText()));

        // Mail after the move arrives through node B's IDLE connection, not its next poll (30 s away).
        deliverAndAwait(mail, user, org, b, "After the move", Duration.ofSeconds(2));
        Awaitility.await("no duplicates").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                b.request("GET", "/v1/organizations/" + org + "/executions?limit=100", null).path("items").size() == 3);
        for (String subject : new String[] {"Before the move", "During the move", "After the move"}) {
            assertEquals(subject, 1, executionsAbout(b, org, subject));
        }
    }

    private static DistributionProcess node(String db, String token, String masterKey, HostDovecot dovecot)
            throws Exception {
        DistributionProcess node = new DistributionProcess(null, db, token, masterKey);
        node.setting("emailTrustedCertificates = " + dovecot.certificate());
        return node;
    }

    private static void deliverAndAwait(DovecotCommands mail, String user, String org, DistributionProcess node,
                                        String subject, Duration within) throws Exception {
        mail.deliver(user, subject);
        Awaitility.await(subject).atMost(within).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> executionsAbout(node, org, subject) == 1);
    }

    private static String inboxes(String org) {
        return "/v1/organizations/" + org + "/email-inboxes";
    }

    private static int executionsAbout(DistributionProcess node, String org, String subject) throws Exception {
        return node.request("GET", "/v1/organizations/" + org + "/executions?limit=100&q="
                + URLEncoder.encode(subject, StandardCharsets.UTF_8), null).path("items").size();
    }

    /** How many inboxes the node at {@code address} polls, as the cluster's nodes list says. */
    private static int inboxesPolled(DistributionProcess asker, String address) throws Exception {
        for (JsonNode n : asker.request("GET", "/v1/cluster/nodes", null).path("items")) {
            if (address.equals(n.path("address").asText()) && n.path("alive").asBoolean()) {
                return n.path("inboxesPolled").asInt();
            }
        }
        return 0;
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
