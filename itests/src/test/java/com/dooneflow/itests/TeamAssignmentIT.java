package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Team members and round-robin assignment on PostgreSQL: fairness under 1,000 concurrent webhook-triggered
 * executions, inactive members skipped, the assigned member reaching a later Call Webhook step, the failure when
 * nobody is active, and the REST and console surface.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TeamAssignmentIT extends DooneFlowTestSupport {

    private static final int EXECUTIONS = 1000;

    @Configuration
    public Option[] config() {
        String url = postgresDatabaseOfThisClass();
        List<Option> options = ownerOnPostgres(url);
        options.add(loopbackAllowed());
        options.add(systemProperty("dooneflow.it.sink").value("http://127.0.0.1:" + HostSink.start()));
        return distribution(options.toArray(new Option[0]));
    }

    @Test
    public void aThousandConcurrentAssignmentsAcrossFiveMembersGiveEach200() throws Exception {
        String org = newOrganization("fair");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(addMember(org, "Fair Member " + i, "+1650253000" + i));
        }
        createWorkflow(org, "it-team-fair", "[{\"type\":\"team.assign\",\"params\":{}}]");

        List<String> executions = fire("it-team-fair", EXECUTIONS);
        Map<String, Long> counts = awaitCounts(org, EXECUTIONS);

        for (String m : members) {
            assertWithinOne(200, counts.get(m), m);
        }
        assertEveryExecutionGotOneTurnInRoundRobinOrder(org, executions, rotationOrder(org));
    }

    @Test
    public void withOneMemberInactiveTheOtherFourGet250AndItNone() throws Exception {
        String org = newOrganization("inactive");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(addMember(org, "Member " + i, "+1650253001" + i));
        }
        String inactive = members.get(2);
        Reply off = call("PATCH", team(org) + "/" + inactive, OWNER_TOKEN, "{\"active\":false}");
        assertEquals(off.body(), 200, off.status());
        createWorkflow(org, "it-team-inactive", "[{\"type\":\"team.assign\",\"params\":{}}]");

        List<String> executions = fire("it-team-inactive", EXECUTIONS);
        Map<String, Long> counts = awaitCounts(org, EXECUTIONS);

        assertEquals("the inactive member got none", 0L, (long) counts.get(inactive));
        List<String> active = rotationOrder(org);
        active.remove(inactive);
        assertEquals(4, active.size());
        for (String m : active) {
            assertWithinOne(250, counts.get(m), m);
        }
        assertEveryExecutionGotOneTurnInRoundRobinOrder(org, executions, active);
    }

    @Test
    public void theAssignedMemberReachesALaterCallWebhookStep() {
        String org = newOrganization("notify");
        addMember(org, "Nora Notified", "+44 20 7183 8750");
        addMember(org, "Otto Other", "+49 30 901820");
        stub("{\"request\":{\"method\":\"POST\",\"url\":\"/team-notify\"},\"response\":{\"status\":200}}");
        createWorkflow(org, "it-team-notify", "[{\"type\":\"team.assign\",\"params\":{}},{\"type\":\"webhook.call\","
                + "\"params\":{\"url\":\"" + sink() + "/team-notify\",\"payload\":{\"assignee\":\"{team_member_name}\","
                + "\"assigneePhone\":\"{team_member_phone}\",\"assigneeId\":\"{team_member_id}\","
                + "\"contact\":\"{contact_name}\"}}}]");

        Reply accepted = post("/webhook/it-team-notify", null, "{\"name\":\"Carl Client\",\"phone\":\"+15550001111\"}");
        assertEquals(accepted.body(), 202, accepted.status());
        String id = accepted.json().path("executionIds").path(0).asText();
        JsonNode execution = awaitStatus(org, id, "succeeded");

        // The first in rotation order (oldest first) got the contact.
        JsonNode first = get(team(org), OWNER_TOKEN).json().path("items").path(0);
        JsonNode assigned = execution.path("steps").path(0).path("output");
        assertEquals(first.path("id").asText(), assigned.path("team_member_id").asText());
        assertEquals(first.path("name").asText(), assigned.path("team_member_name").asText());
        assertEquals(first.path("phone").asText(), assigned.path("team_member_phone").asText());
        assertTrue(first.path("phone").asText().equals("+442071838750") || first.path("phone").asText().equals("+4930901820"));
        List<JsonNode> delivered = requests("/team-notify");
        assertEquals(1, delivered.size());
        JsonNode payload = json(delivered.get(0).path("body").asText());
        assertEquals(first.path("name").asText(), payload.path("assignee").asText());
        assertEquals(first.path("phone").asText(), payload.path("assigneePhone").asText());
        assertEquals(assigned.path("team_member_id").asText(), payload.path("assigneeId").asText());
        assertEquals("Carl Client", payload.path("contact").asText());

        // The log says who got which contact, per execution and per member.
        JsonNode log = get(team(org) + "/assignments?executionId=" + id, OWNER_TOKEN).json().path("items");
        assertEquals(1, log.size());
        assertEquals("Carl Client", log.path(0).path("contactName").asText());
        assertEquals("+15550001111", log.path(0).path("contactPhone").asText());
        assertEquals(first.path("name").asText(), log.path(0).path("teamMemberName").asText());
        assertEquals(id, get(team(org) + "/" + first.path("id").asText() + "/assignments", OWNER_TOKEN).json()
                .path("items").path(0).path("executionId").asText());
    }

    @Test
    public void withNobodyActiveTheStepFailsWithAnEvent() {
        String org = newOrganization("nobody");
        String only = addMember(org, "Ina Inactive", "+16502530099");
        assertEquals(200, call("PATCH", team(org) + "/" + only, OWNER_TOKEN, "{\"active\":false}").status());
        createWorkflow(org, "it-team-nobody", "[{\"type\":\"team.assign\",\"params\":{}}]");

        String id = post("/webhook/it-team-nobody", null, "{\"name\":\"Lost Lead\"}").json().path("executionIds")
                .path(0).asText();
        JsonNode failed = awaitStatus(org, id, "failed");

        assertContains(failed.path("error").asText(), "no active team member in pool");
        assertEquals("one attempt: permanent, not retried", 1, failed.path("steps").path(0).path("attempts").asInt());
        String events = get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body();
        assertContains(events, "no active team member in pool");
        assertContains(events, id);
    }

    @Test
    public void teamMembersOverRestAndTheConsole() throws Exception {
        String org = newOrganization("rest");
        Reply noCountry = post(team(org), OWNER_TOKEN, "{\"name\":\"Ann\",\"phone\":\"650 253 0000\"}");
        assertEquals(noCountry.body(), 422, noCountry.status());
        assertStartsWith(noCountry.contentType(), "application/problem+json");
        assertEquals("phone", noCountry.json().path("errors").path(0).path("field").asText());
        assertContains(noCountry.json().path("errors").path(0).path("message").asText(), "country code");
        assertEquals(400, post(team(org), OWNER_TOKEN, "{\"name\":\"Ann\",\"phone\":\"+16502530000\",\"boss\":true}").status());
        Reply badEmail = post(team(org), OWNER_TOKEN, "{\"name\":\"Ann\",\"phone\":\"+16502530000\",\"email\":\"nope\"}");
        assertEquals(422, badEmail.status());
        assertEquals("email", badEmail.json().path("errors").path(0).path("field").asText());

        Reply created = post(team(org), OWNER_TOKEN, "{\"name\":\"Ann Lee\",\"phone\":\"+1 (650) 253-0000\",\"email\":\"ann@it.example\"}");
        assertEquals(created.body(), 201, created.status());
        assertEquals("+16502530000", created.json().path("phone").asText());
        String ann = created.json().path("id").asText();

        // Members read, only owners and admins manage; another organization's member is not found.
        String reader = newMember(org, "reader-" + org.substring(0, 8) + "@it.example", "member");
        assertEquals(200, get(team(org), reader).status());
        assertEquals(403, post(team(org), reader, "{\"name\":\"Bo\",\"phone\":\"+16502530001\"}").status());
        assertEquals(403, call("DELETE", team(org) + "/" + ann, reader, null).status());
        String other = newOrganization("other");
        assertEquals(404, get(team(other) + "/" + ann, OWNER_TOKEN).status());
        assertEquals(404, call("PATCH", team(other) + "/" + ann, OWNER_TOKEN, "{\"active\":false}").status());
        assertEquals(401, get(team(org), null).status());

        assertContains(console("dooneflow:team-list " + org), "Ann Lee");
        assertContains(console("dooneflow:team-deactivate " + ann), "inactive");
        assertEquals(false, get(team(org) + "/" + ann, OWNER_TOKEN).json().path("active").asBoolean());
        assertContains(console("dooneflow:team-activate " + ann), "active");
        assertContains(console("dooneflow:team-add --email bo@it.example " + org + " \"Bo Brown\" +442071838750"), "+442071838750");
        assertContains(console("dooneflow:team-stats " + org), "Bo Brown");

        assertEquals(204, call("DELETE", team(org) + "/" + ann, OWNER_TOKEN, null).status());
        assertEquals(404, get(team(org) + "/" + ann, OWNER_TOKEN).status());
        assertEquals(200, get(team(org) + "/" + ann + "/assignments", OWNER_TOKEN).status());
    }

    // ---- helpers ----

    private static String sink() {
        return System.getProperty("dooneflow.it.sink");
    }

    private static String team(String org) {
        return "/v1/organizations/" + org + "/team-members";
    }

    /** A new organization of the owner, so each test has a rotation of its own. */
    private String newOrganization(String name) {
        awaitHealthy();
        Reply r = post("/v1/organizations", OWNER_TOKEN, "{\"name\":\"team " + name + "\"}");
        assertEquals(r.body(), 201, r.status());
        String org = r.json().path("id").asText();
        return org;
    }

    private static String addMember(String org, String name, String phone) {
        Reply r = post(team(org), OWNER_TOKEN, "{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\"}");
        assertEquals(r.body(), 201, r.status());
        return r.json().path("id").asText();
    }

    /** The members in the order the rotation goes: the list's order (oldest first). */
    private static List<String> rotationOrder(String org) {
        List<String> ids = new ArrayList<>();
        get(team(org) + "?limit=500", OWNER_TOKEN).json().path("items").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private static void createWorkflow(String org, String path, String actions) {
        Reply r = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, "{\"name\":\"" + path + "\",\"trigger\":"
                + "{\"type\":\"webhook\",\"params\":{\"path\":\"" + path + "\"}},\"actions\":" + actions + "}");
        assertEquals(r.body(), 201, r.status());
    }

    /** Posts {@code n} webhooks at once (32 in flight) and returns the executions they started. */
    private static List<String> fire(String path, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = "{\"name\":\"Contact " + i + "\",\"phone\":\"+1555" + String.format("%07d", i)
                        + "\",\"email\":\"c" + i + "@it.example\"}";
                replies.add(pool.submit(() -> post("/webhook/" + path, null, body)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<Reply> f : replies) {
                Reply r = f.get(60, TimeUnit.SECONDS);
                assertEquals(r.body(), 202, r.status());
                ids.add(r.json().path("executionIds").path(0).asText());
            }
            assertEquals(n, new HashSet<>(ids).size());
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until {@code total} assignments are counted; returns them per member id. */
    private static Map<String, Long> awaitCounts(String org, int total) {
        AtomicReference<JsonNode> stats = new AtomicReference<>();
        Awaitility.await("assignments in " + org).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    stats.set(get(team(org) + "/stats", OWNER_TOKEN).json());
                    return stats.get().path("total").asLong() >= total;
                });
        assertEquals(total, stats.get().path("total").asLong());
        Map<String, Long> counts = new HashMap<>();
        stats.get().path("members").forEach(m -> counts.put(m.path("teamMemberId").asText(), m.path("assignments").asLong()));
        return counts;
    }

    /**
     * Reads the whole assignment log: each execution was assigned exactly once, turns 1..N were each handed out
     * once (no two racing workers got the same turn), and in turn order the members follow one another round robin.
     */
    private static void assertEveryExecutionGotOneTurnInRoundRobinOrder(String org, List<String> executions,
                                                                        List<String> activeInOrder) {
        Map<Long, String> memberByTurn = new HashMap<>();
        Set<String> assignedExecutions = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = get(team(org) + "/assignments?limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    OWNER_TOKEN).json();
            for (JsonNode a : page.path("items")) {
                assertTrue("turn handed out twice: " + a, memberByTurn.put(a.path("turn").asLong(),
                        a.path("teamMemberId").asText()) == null);
                assertTrue("execution assigned twice: " + a, assignedExecutions.add(a.path("executionId").asText()));
                assertTrue("contact recorded", a.path("contactName").asText().startsWith("Contact "));
            }
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        assertEquals(new HashSet<>(executions), assignedExecutions);
        assertEquals(executions.size(), memberByTurn.size());
        for (long turn = 1; turn <= executions.size(); turn++) {
            assertEquals("turn " + turn, activeInOrder.get((int) ((turn - 1) % activeInOrder.size())), memberByTurn.get(turn));
        }
    }

    private static void assertWithinOne(long expected, Long actual, String member) {
        assertTrue(member + " got " + actual + ", expected " + expected + " ± 1",
                actual != null && Math.abs(actual - expected) <= 1);
    }

    private static JsonNode awaitStatus(String org, String executionId, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await("execution " + executionId + " " + status).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    last.set(get("/v1/organizations/" + org + "/executions/" + executionId, OWNER_TOKEN).json());
                    return status.equals(last.get().path("status").asText());
                });
        return last.get();
    }

    private static void stub(String mapping) {
        Reply r = callUrl("POST", sink() + "/__admin/mappings", mapping);
        assertTrue(r.body(), r.status() == 201);
    }

    private static List<JsonNode> requests(String url) {
        JsonNode all = callUrl("GET", sink() + "/__admin/requests", null).json().path("requests");
        List<JsonNode> matching = new ArrayList<>();
        all.forEach(r -> {
            if (url.equals(r.path("request").path("url").asText())) {
                matching.add(r.path("request"));
            }
        });
        return matching;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + e.getMessage() + "): " + text);
        }
    }
}
