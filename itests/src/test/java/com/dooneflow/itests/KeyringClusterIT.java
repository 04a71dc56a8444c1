package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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
 * The keyring across two nodes on one PostgreSQL database, run as processes with one master key. A Twilio auth token
 * saved on node A is read by node B; the data key is rotated on node A through its console, and node B reads the
 * re-encrypted token at once (it loads the new data key from the database), with no file changed on either node. A
 * node started with another master key says so in its health, answers 503 naming the secret, and logs it once. No
 * key, and no token, is in any node's log.
 */
public class KeyringClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SID = "AC0123456789abcdef0123456789abcdef";

    private DistributionProcess a;
    private DistributionProcess b;
    private WireMockServer twilio;

    @Test
    public void aDataKeyRotatedOnOneNodeIsReadOnTheOtherAndNoKeyIsLogged() throws Exception {
        twilio = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        twilio.start();
        twilio.stubFor(WireMock.get("/2010-04-01/Accounts/" + SID + ".json").willReturn(WireMock.okJson(
                "{\"sid\":\"" + SID + "\",\"friendly_name\":\"Acme Sales\",\"status\":\"active\",\"type\":\"Full\"}")));
        String db = DooneFlowTestSupport.freshPostgresDatabase();
        String owner = "keyring-owner-" + UUID.randomUUID();
        String masterKey = DistributionProcess.newMasterKey();
        String otherMasterKey = DistributionProcess.newMasterKey();
        String consolePassword = UUID.randomUUID().toString();
        a = node(db, owner, masterKey);
        b = node(db, owner, masterKey);
        // The test's own console user on node A; the distribution ships none.
        Files.writeString(a.home.resolve("etc/users.properties"), "keyring = " + consolePassword
                + ",_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");

        a.start();
        awaitHealthy(a);
        b.start();
        awaitHealthy(b);
        assertEquals("UP", a.request("GET", "/v1/health", null).path("checks").path("keyring").asText());
        String org = a.request("GET", "/v1/me", null).path("organizations").path(0).path("id").asText();
        String twilioPath = "/v1/organizations/" + org + "/integrations/twilio";
        String firstToken = "tok1-" + UUID.randomUUID().toString().replace("-", "");
        JsonNode saved = a.request("PUT", twilioPath, "{\"accountSid\":\"" + SID + "\",\"authToken\":\"" + firstToken
                + "\",\"phoneNumber\":\"+14155552671\"}");
        assertTrue(saved.toString(), saved.path("authTokenSet").asBoolean());

        assertAccountCheckUses(b, twilioPath, firstToken);
        String before = activeDataKey(db);
        String rotated = console(a, consolePassword, "dooneflow:key-rotate");
        String after = activeDataKey(db);
        assertTrue(rotated, rotated.contains("Active data key is now " + after + "; 1 secrets re-encrypted"));
        assertFalse(before.equals(after));
        assertTrue(authTokenCiphertext(db, org).startsWith("df2:" + after + ":"));
        // Node B had the old data key in memory only; it meets the new id and loads it from the database.
        assertAccountCheckUses(b, twilioPath, firstToken);
        String secondToken = "tok2-" + UUID.randomUUID().toString().replace("-", "");
        b.request("PUT", twilioPath, "{\"accountSid\":\"" + SID + "\",\"authToken\":\"" + secondToken
                + "\",\"phoneNumber\":\"+14155552671\"}");
        assertTrue(authTokenCiphertext(db, org).startsWith("df2:" + after + ":"));
        assertAccountCheckUses(a, twilioPath, secondToken);
        for (DistributionProcess node : List.of(a, b)) {
            assertFalse("no key file on a node whose key is configured",
                    Files.exists(node.home.resolve("etc/dooneflow-master.key")));
        }

        // Node B restarts with a master key of its own: it cannot unwrap the active data key and says so.
        b.kill(false);
        Files.writeString(b.home.resolve("etc/com.dooneflow.cfg"), Files.readString(b.home.resolve("etc/com.dooneflow.cfg"))
                .replace(".masterKey = " + masterKey, ".masterKey = " + otherMasterKey));
        b.start();
        JsonNode health = Awaitility.await("B's health names the keyring").atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> JSON.readTree(get(b, "/v1/health").body()),
                        h -> h.path("checks").path("keyring").asText().contains("cannot unwrap")
                                && "UP".equals(h.path("checks").path("components").asText()));
        assertEquals(health.toString(), "DOWN", health.path("status").asText());
        assertTrue(health.toString(), health.path("checks").path("keyring").asText().contains(after));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = post(b, twilioPath + "/test");
            assertEquals(refused.body(), 503, refused.statusCode());
            JsonNode problem = JSON.readTree(refused.body());
            assertTrue(refused.body(), problem.path("type").asText().endsWith("secret-unavailable"));
            assertTrue(refused.body(), problem.path("detail").asText().contains("'authToken'"));
            assertTrue(refused.body(), problem.path("detail").asText().contains("does not hold"));
        }
        String bLog = logOf(b);
        assertEquals(bLog, 1, occurrences(bLog, "Secrets cannot be read on this node: data key " + after));
        assertTrue(bLog, bLog.contains("This node cannot read the stored secrets"));
        assertFalse("no stack trace for an unreadable secret", bLog.contains("SecretUnavailableException"));

        List<String> material = new ArrayList<>(List.of(masterKey, otherMasterKey, firstToken, secondToken));
        for (String id : List.of(before, after)) {
            byte[] dataKey = unwrap(Base64.getDecoder().decode(masterKey), id, wrappedDataKey(db, id));
            material.add(Base64.getEncoder().encodeToString(dataKey));
            material.add(HexFormat.of().formatHex(dataKey));
        }
        for (DistributionProcess node : List.of(a, b)) {
            String log = logOf(node);
            for (String m : material) {
                assertFalse("key material in a node's log", log.contains(m) || log.contains(m.substring(0, 16)));
            }
        }
    }

    private DistributionProcess node(String db, String owner, String masterKey) throws IOException {
        DistributionProcess node = new DistributionProcess(null, db, owner, masterKey);
        node.setting("db.poolSize = 4");
        Files.writeString(node.home.resolve("etc/com.dooneflow.connector.twilio.cfg"),
                "apiUrl = http://127.0.0.1:" + twilio.port() + "\n");
        return node;
    }

    /** Health is up and the owner signs in; boots of two distributions on a busy machine may take minutes. */
    private static void awaitHealthy(DistributionProcess node) {
        Awaitility.await("health").atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> get(node, "/v1/health").statusCode() == 200
                        && node.request("GET", "/v1/me", null).has("organizations"));
    }

    /** The node's Test button reaches Twilio with this auth token: the node read the secret. */
    private void assertAccountCheckUses(DistributionProcess node, String twilioPath, String token) throws Exception {
        twilio.resetRequests();
        HttpResponse<String> checked = post(node, twilioPath + "/test");
        assertEquals(checked.body(), 200, checked.statusCode());
        assertEquals(checked.body(), "ok", JSON.readTree(checked.body()).path("result").asText());
        List<LoggedRequest> requests = twilio.findAll(WireMock.getRequestedFor(WireMock.urlEqualTo(
                "/2010-04-01/Accounts/" + SID + ".json")));
        assertEquals(1, requests.size());
        assertEquals("Basic " + Base64.getEncoder().encodeToString((SID + ":" + token).getBytes(StandardCharsets.US_ASCII)),
                requests.get(0).getHeader("Authorization"));
    }

    /** Runs a console command over the node's SSH console (bin/client) and returns what it printed. */
    private static String console(DistributionProcess node, String password, String command) throws Exception {
        Path out = Files.createTempFile(node.home, "client", ".out");
        Process client = new ProcessBuilder(node.home.resolve("bin/client").toString(), "-a", String.valueOf(node.sshPort),
                "-h", "127.0.0.1", "-u", "keyring", "-p", password, "-r", "10", "-d", "2", command)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue("bin/client finished", client.waitFor(120, TimeUnit.SECONDS));
        return Files.readString(out);
    }

    private static HttpResponse<String> post(DistributionProcess node, String path) throws Exception {
        return DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(node.base + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + node.token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(DistributionProcess node, String path) throws Exception {
        return DistributionProcess.HTTP.send(HttpRequest.newBuilder(URI.create(node.base + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Everything the node wrote: its log files (karaf.log, the security logs) and its standard output. */
    private static String logOf(DistributionProcess node) throws IOException {
        StringBuilder all = new StringBuilder(Files.readString(node.home.resolve("console.log")));
        try (Stream<Path> logs = Files.list(node.home.resolve("data/log"))) {
            for (Path log : (Iterable<Path>) logs::iterator) {
                all.append(Files.readString(log));
            }
        }
        return all.toString();
    }

    private static String activeDataKey(String db) throws Exception {
        return query(db, "select active_key_id from df_keyring");
    }

    private static String wrappedDataKey(String db, String id) throws Exception {
        return query(db, "select wrapped_key from df_data_key where id = ?", id);
    }

    private static String authTokenCiphertext(String db, String org) throws Exception {
        return query(db, "select ciphertext from df_secret where org_id = ? and field = 'authToken'", org);
    }

    private static String query(String db, String sql, String... params) throws Exception {
        try (Connection c = DriverManager.getConnection(db, "postgres", "");
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(sql, rs.next());
                return rs.getString(1);
            }
        }
    }

    /** The data key in clear, as the vault unwraps it (AES-GCM, nonce first, bound to the key's id). */
    private static byte[] unwrap(byte[] master, String id, String wrapped) throws Exception {
        byte[] blob = Base64.getDecoder().decode(wrapped);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, blob, 0, 12));
        cipher.updateAAD(("dooneflow-data-key|" + id).getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(blob, 12, blob.length - 12);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @After
    public void stop() throws Exception {
        for (DistributionProcess node : new DistributionProcess[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (twilio != null) {
            twilio.stop();
        }
    }
}
