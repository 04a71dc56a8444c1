package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;

/**
 * The audit log on the real distribution (PostgreSQL): a scripted admin session over REST — an organization, a
 * workflow, the Twilio account, a member and a role change, a team member, webhook key rotations, a Salesforce
 * connection, an email inbox, a failed sign-in, a connector installed, a tripped token rate limit — and on the Karaf
 * console (a data key rotated, the connector uninstalled) is listed with who, from where and what, and neither the
 * audit log nor the distribution's logs hold any of the secrets set in it.
 * A rotated webhook key stays accepted for its grace period, and only the new one after.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuditLogIT extends DooneFlowTestSupport {

    private static final String TWILIO_TOKEN = "twiliotoken" + "c4n4ry" + "0123456789abcdef";
    private static final String WRONG_PASSWORD = "wrong-password-c4n4ry-" + System.nanoTime();
    private static final String SALESFORCE_SECRET = "sfsecret" + "c4n4ry" + UUID.randomUUID();
    private static final String IMAP_PASSWORD = "imappass" + "c4n4ry" + UUID.randomUUID();

    @Configuration
    public Option[] config() {
        List<Option> options = ownerOnPostgres(postgresDatabaseOfThisClass());
        return distribution(options.toArray(new Option[0]));
    }

    @Test
    public void anAdminSessionIsAuditedWithoutAnySecretAndARotatedKeyLastsItsGracePeriod() throws Exception {
        awaitHealthy();
        List<String> secrets = new ArrayList<>(List.of(TWILIO_TOKEN, WRONG_PASSWORD));

        Reply created = post("/v1/organizations", OWNER_TOKEN, "{\"name\":\"Audited\"}");
        assertEquals(created.body(), 201, created.status());
        String org = created.json().path("id").asText();
        String orgPath = "/v1/organizations/" + org;

        Reply workflow = post(orgPath + "/workflows", OWNER_TOKEN, "{\"name\":\"Audited leads\",\"trigger\":{\"type\":"
                + "\"webhook\",\"params\":{\"path\":\"it-audited\",\"authentication\":\"key\"}},\"actions\":[{\"type\":"
                + "\"team.assign\",\"params\":{}}]}");
        assertEquals(workflow.body(), 201, workflow.status());
        String workflowId = workflow.json().path("id").asText();

        Reply twilio = call("PUT", orgPath + "/integrations/twilio", OWNER_TOKEN, "{\"accountSid\":\"AC"
                + "0123456789abcdef0123456789abcdef\",\"authToken\":\"" + TWILIO_TOKEN + "\",\"phoneNumber\":\"+14155552671\"}");
        assertEquals(twilio.body(), 200, twilio.status());

        Reply invited = invite(org, OWNER_TOKEN, "ada@it.example", "admin");
        assertEquals(invited.body(), 201, invited.status());
        secrets.add(invited.json().path("acceptToken").asText());
        Reply member = post(orgPath + "/team-members", OWNER_TOKEN, "{\"name\":\"Bea Chen\",\"phone\":\"+442071838750\"}");
        assertEquals(member.body(), 201, member.status());

        // Rotation with a grace period: the old key and the new one both pass, then only the new one.
        Reply first = post(orgPath + "/workflows/" + workflowId + "/webhook-key", OWNER_TOKEN, null);
        assertEquals(first.body(), 200, first.status());
        String oldKey = first.json().path("webhookKey").asText();
        Reply rotated = post(orgPath + "/workflows/" + workflowId + "/webhook-key?graceSeconds=4", OWNER_TOKEN, null);
        assertEquals(rotated.body(), 200, rotated.status());
        String newKey = rotated.json().path("webhookKey").asText();
        secrets.addAll(List.of(oldKey, newKey, first.json().path("signingSecret").asText(),
                rotated.json().path("signingSecret").asText()));
        assertTrue(rotated.body(), rotated.json().hasNonNull("previousKeyExpiresAt"));
        JsonNode status = get(orgPath + "/workflows/" + workflowId + "/webhook-key", OWNER_TOKEN).json();
        assertEquals(rotated.json().path("previousKeyExpiresAt").asText(), status.path("previousKeyExpiresAt").asText());
        assertFalse(status.toString(), status.toString().contains(oldKey));

        assertEquals(202, webhook(oldKey));
        assertEquals(202, webhook(newKey));
        assertEquals(401, webhook("not-a-key-of-this-webhook"));
        Awaitility.await("the old key refused after its grace").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).until(() -> webhook(oldKey) == 401);
        assertEquals("the new key after the grace", 202, webhook(newKey));
        assertTrue(get(orgPath + "/workflows/" + workflowId + "/webhook-key", OWNER_TOKEN).json()
                .path("previousKeyExpiresAt").isNull());
        Reply invalidGrace = post(orgPath + "/workflows/" + workflowId + "/webhook-key?graceSeconds=-1", OWNER_TOKEN, null);
        assertEquals(invalidGrace.body(), 422, invalidGrace.status());
        assertTrue(invalidGrace.body(), invalidGrace.body().contains("graceSeconds"));

        // A failed console sign-in, with a password that must not be kept anywhere.
        Reply signIn = post("/v1/session", null, "{\"email\":\"owner@it.example\",\"password\":\"" + WRONG_PASSWORD + "\"}");
        assertEquals(signIn.body(), 401, signIn.status());

        // The organization's audit log: who, from where, what.
        JsonNode entries = get(orgPath + "/audit-log?limit=500", OWNER_TOKEN).json().path("items");
        JsonNode workflowCreate = only(entries, "workflow", "create");
        assertEquals(workflowId, workflowCreate.path("objectId").asText());
        assertEquals("owner@it.example", workflowCreate.path("actorEmail").asText());
        assertFalse(workflowCreate.path("actorTokenId").asText().isEmpty());
        assertFalse(workflowCreate.path("actorUserId").asText().isEmpty());
        assertEquals("127.0.0.1", workflowCreate.path("clientAddress").asText());
        assertTrue(workflowCreate.toString(), workflowCreate.path("summary").asText().contains("trigger"));
        JsonNode twilioSet = only(entries, "integration/twilio", "set");
        assertTrue(twilioSet.toString(), twilioSet.path("summary").asText().contains("authToken changed"));
        assertEquals(member.json().path("id").asText(), only(entries, "team-member", "create").path("objectId").asText());
        assertEquals(invited.json().path("invitation").path("id").asText(),
                only(entries, "member", "create").path("objectId").asText());
        assertEquals(org, only(entries, "organization", "create").path("objectId").asText());
        JsonNode rotations = get(orgPath + "/audit-log?objectType=workflow&action=webhook-key&objectId=" + workflowId,
                OWNER_TOKEN).json().path("items");
        assertEquals(rotations.toString(), 2, rotations.size());
        assertEquals("first page of one", 1, get(orgPath + "/audit-log?limit=1", OWNER_TOKEN).json().path("items").size());

        // Installation-wide: the failed sign-in, from its address, naming no email and no password.
        JsonNode installation = get("/v1/audit-log?action=sign-in-failed", OWNER_TOKEN).json().path("items");
        assertTrue(installation.toString(), installation.size() >= 1);
        assertEquals("session", installation.path(0).path("objectType").asText());
        assertEquals("127.0.0.1", installation.path(0).path("clientAddress").asText());

        moreChangesAreAuditedWithWhoAndWhat(org, secrets);

        // Only owners and admins read it; members are refused, and nothing changes or deletes an entry.
        String reader = newMember(org, "reader@it.example", "member");
        secrets.add(reader);
        assertEquals(403, get(orgPath + "/audit-log", reader).status());
        assertEquals(403, get("/v1/audit-log", reader).status());
        assertEquals(405, call("DELETE", orgPath + "/audit-log", OWNER_TOKEN, null).status());
        assertTrue(console("dooneflow:audit-list " + org).contains("webhook-key"));

        // No secret of the session anywhere: not in the audit log, not in the distribution's logs.
        String audit = get(orgPath + "/audit-log?limit=500", OWNER_TOKEN).body()
                + get("/v1/audit-log?limit=500", OWNER_TOKEN).body();
        String logs = logs();
        for (String secret : secrets) {
            assertNotNull(secret);
            assertFalse("a secret in the audit log", audit.contains(secret));
            assertFalse("a secret in the logs", logs.contains(secret));
        }
    }

    /**
     * A role change, a Salesforce connection and an email inbox (with their secrets) in the organization's log; a
     * connector installed through the API, a data key rotated and the connector uninstalled on the console, and a
     * tripped token rate limit in the installation's.
     */
    private void moreChangesAreAuditedWithWhoAndWhat(String org, List<String> secrets) throws Exception {
        String orgPath = "/v1/organizations/" + org;
        secrets.addAll(List.of(SALESFORCE_SECRET, IMAP_PASSWORD));

        secrets.add(newMember(org, "pat@it.example", "member"));
        String pat = null;
        for (JsonNode m : get(orgPath + "/members", OWNER_TOKEN).json().path("items")) {
            if ("pat@it.example".equals(m.path("email").asText())) {
                pat = m.path("userId").asText();
            }
        }
        assertNotNull(pat);
        Reply promoted = call("PATCH", orgPath + "/members/" + pat, OWNER_TOKEN, "{\"role\":\"admin\"}");
        assertEquals(promoted.body(), 200, promoted.status());

        Reply salesforce = post(orgPath + "/integrations/salesforce", OWNER_TOKEN, "{\"name\":\"Audited SF\","
                + "\"environment\":\"production\",\"clientId\":\"3MVG9-audited\",\"clientSecret\":\""
                + SALESFORCE_SECRET + "\"}");
        assertEquals(salesforce.body(), 201, salesforce.status());
        Reply inbox = post(orgPath + "/email-inboxes", OWNER_TOKEN, "{\"emailAddress\":\"leads@it.example\","
                + "\"host\":\"imap.it.example\",\"port\":993,\"security\":\"ssl\",\"username\":\"leads\","
                + "\"password\":\"" + IMAP_PASSWORD + "\",\"pollIntervalSeconds\":300,\"idle\":false,\"active\":false}");
        assertEquals(inbox.body(), 201, inbox.status());

        JsonNode entries = get(orgPath + "/audit-log?limit=500", OWNER_TOKEN).json().path("items");
        JsonNode roleChange = only(entries, "member", "update");
        assertEquals(pat, roleChange.path("objectId").asText());
        assertEquals("owner@it.example", roleChange.path("actorEmail").asText());
        assertEquals("fields role=admin", roleChange.path("summary").asText());
        JsonNode connection = only(entries, "integration/salesforce", "create");
        assertEquals(salesforce.json().path("id").asText(), connection.path("objectId").asText());
        assertEquals("owner@it.example", connection.path("actorEmail").asText());
        assertTrue(connection.toString(), connection.path("summary").asText().contains("clientSecret changed"));
        JsonNode mailbox = only(entries, "email-inbox", "create");
        assertEquals(inbox.json().path("id").asText(), mailbox.path("objectId").asText());
        assertEquals("127.0.0.1", mailbox.path("clientAddress").asText());
        assertTrue(mailbox.toString(), mailbox.path("summary").asText().contains("password changed"));

        // A connector feature installed cluster-wide through the API, by the owner from their address...
        TypeOnlyConnector.write(Path.of(System.getProperty("karaf.base")));
        Reply installed = post("/v1/connectors/install", OWNER_TOKEN, "{\"repository\":\"" + TypeOnlyConnector.REPOSITORY
                + "\",\"feature\":\"" + TypeOnlyConnector.FEATURE + "\"}");
        assertEquals(installed.body(), 200, installed.status());
        Awaitility.await("the feature installed on this node").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> get("/v1/connectors/install", OWNER_TOKEN).json()
                        .path("items").path(0).path("nodes").path(0).path("state").asText().equals("installed"));
        // ... then a data key rotated and the connector uninstalled on the console, by the console's administrator.
        assertTrue(console("dooneflow:key-rotate").contains("Active data key is now"));
        assertTrue(console("dooneflow:connector-uninstall " + TypeOnlyConnector.FEATURE).contains("Every node uninstalls"));

        JsonNode install = onlyInstallation("connector", "install");
        assertEquals(TypeOnlyConnector.FEATURE, install.path("objectId").asText());
        assertEquals("owner@it.example", install.path("actorEmail").asText());
        assertEquals("127.0.0.1", install.path("clientAddress").asText());
        assertTrue(install.toString(), install.path("summary").asText().contains("repository"));
        JsonNode uninstall = onlyInstallation("connector", "uninstall");
        assertEquals(TypeOnlyConnector.FEATURE, uninstall.path("objectId").asText());
        assertEquals("system", uninstall.path("actorEmail").asText());
        assertEquals("console", uninstall.path("clientAddress").asText());
        JsonNode rotation = onlyInstallation("data-key", "rotate");
        assertEquals("system", rotation.path("actorEmail").asText());
        assertEquals("console", rotation.path("clientAddress").asText());
        assertTrue(rotation.toString(), rotation.path("summary").asText().matches("\\d+ secrets re-encrypted"));

        // Wrong tokens until the address is limited (each different, as a guesser's would be): recorded once.
        int status = 0;
        for (int i = 0; i < 40 && status != 429; i++) {
            String wrong = "dft_" + UUID.randomUUID().toString().replace("-", "") + "c4n4ry";
            secrets.add(wrong);
            status = get("/v1/me", wrong).status();
        }
        assertEquals("the token rate limit trips", 429, status);
        JsonNode limited = onlyInstallation("api-token", "rate-limited");
        assertEquals("127.0.0.1", limited.path("clientAddress").asText());
        assertFalse("nobody signed in", limited.path("actorEmail").isTextual());
        assertTrue(limited.toString(),
                limited.path("summary").asText().contains("failed token authentications from this address"));
        assertEquals("a valid token still works", 200, get("/v1/me", OWNER_TOKEN).status());
    }

    private static JsonNode onlyInstallation(String objectType, String action) {
        return only(get("/v1/audit-log?limit=500&objectType=" + objectType + "&action=" + action, OWNER_TOKEN).json()
                .path("items"), objectType, action);
    }

    private static int webhook(String key) {
        return callWithHeaders("POST", "/webhook/it-audited", "{\"name\":\"Ann\"}", Map.of("X-Webhook-Key", key))
                .status();
    }

    private static JsonNode only(JsonNode entries, String objectType, String action) {
        List<JsonNode> found = new ArrayList<>();
        entries.forEach(e -> {
            if (objectType.equals(e.path("objectType").asText()) && action.equals(e.path("action").asText())) {
                found.add(e);
            }
        });
        assertEquals(objectType + " " + action + " in " + entries, 1, found.size());
        return found.get(0);
    }

    /** Every log file of the distribution. */
    private static String logs() throws IOException {
        Path dir = Path.of(System.getProperty("karaf.data"), "log");
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        assertTrue("the log was found", all.length() > 0);
        return all.toString();
    }
}
