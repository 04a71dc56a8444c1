package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;

import javax.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.AccessService;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One organization cannot reach into another's work, tried as an attacker would on the distribution with
 * PostgreSQL: webhook paths are one namespace in one normal form, so no spelling of another's path can be saved;
 * inviting tells nothing about other people's accounts and joins no one without their consent.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TenantSafetyIT extends DooneFlowTestSupport {

    @Inject
    OrganizationService organizations;

    @Inject
    AccessService access;

    @Inject
    InvitationService invitations;

    @Configuration
    public Option[] config() {
        List<Option> options = ownerOnPostgres(postgresDatabaseOfThisClass());
        options.add(loopbackAllowed());
        options.add(systemProperty("dooneflow.it.sink").value("http://127.0.0.1:" + HostSink.start()));
        return distribution(options.toArray(new Option[0]));
    }

    private static String sink() {
        return System.getProperty("dooneflow.it.sink");
    }

    /** A tenant of its own: an organization and the token of its owner, who belongs to nothing else. */
    private record Tenant(String org, String token) {
    }

    private Tenant tenant(String name) {
        Organization org = organizations.create(Principal.SYSTEM, name);
        String email = "owner-" + org.id() + "@it.example";
        invitations.acceptWithToken(Optional.empty(),
                invitations.invite(Principal.SYSTEM, org.id(), email, Role.OWNER).acceptToken());
        return new Tenant(org.id(), access.createTokenFor(email, "it").secret());
    }

    private static Reply saveWebhookWorkflow(Tenant t, String path, String authentication) {
        return saveWebhookWorkflow(t, path, authentication, "https://hooks.example.com/orders");
    }

    private static Reply saveWebhookWorkflow(Tenant t, String path, String authentication, String url) {
        return post("/v1/organizations/" + t.org() + "/workflows", t.token(), "{\"name\":\"orders\",\"trigger\":{"
                + "\"type\":\"webhook\",\"params\":{\"path\":" + JSON.valueToTree(path) + ",\"authentication\":\""
                + authentication + "\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":"
                + JSON.valueToTree(url) + ",\"timeoutSeconds\":60}}]}");
    }

    @Test
    public void noSpellingOfAnotherOrganizationsPathCanBeSavedAndItsSenderStillReachesIt() {
        awaitHealthy();
        Tenant b = tenant("B Corp");
        Tenant a = tenant("A Corp");
        Reply mine = saveWebhookWorkflow(b, "b-orders", "key");
        assertEquals(mine.body(), 201, mine.status());
        String workflow = mine.json().path("id").asText();
        String key = post("/v1/organizations/" + b.org() + "/workflows/" + workflow + "/webhook-key", b.token(), null)
                .json().path("webhookKey").asText();

        // Not in normal form: refused naming the parameter, never rewritten and never saved.
        for (String path : List.of("b-orders/", "/b-orders", "b%2Dorders", "./b-orders", "b-orders/../b-orders",
                "b-orders ", "b-orders?x", "b-orders\u0000")) {
            Reply r = saveWebhookWorkflow(a, path, "none");
            assertEquals(path + ": " + r.body(), 422, r.status());
            assertEquals("trigger.params.path", r.json().path("errors").path(0).path("field").asText());
        }
        // The same path in another case is the same path: taken, with the answer the owner's own twin gets.
        Reply upper = saveWebhookWorkflow(a, "B-ORDERS", "none");
        Reply own = saveWebhookWorkflow(b, "b-orders", "none");
        assertEquals(upper.body(), 409, upper.status());
        assertEquals(own.body(), 409, own.status());
        assertEquals(own.json().path("detail"), upper.json().path("detail"));
        assertEquals(own.json().path("errors"), upper.json().path("errors"));
        assertTrue(upper.body(), !upper.body().contains(b.org()));
        assertEquals(0, get("/v1/organizations/" + a.org() + "/workflows", a.token()).json().path("items").size());

        // B's sender, however it spells the path, still reaches B, and only with B's key.
        for (String url : List.of("/webhook/b-orders", "/webhook/b-orders/", "/webhook/B-Orders", "/webhook/b%2Dorders")) {
            assertEquals(url, 401, post(url, null, "{\"n\":1}").status());
            Reply in = callWithHeaders("POST", url, "{\"n\":1}", Map.of("X-Webhook-Key", key));
            assertEquals(url + ": " + in.body(), 202, in.status());
            String id = in.json().path("executionIds").path(0).asText();
            assertEquals(workflow, get("/v1/organizations/" + b.org() + "/executions/" + id, b.token())
                    .json().path("workflowId").asText());
        }
        assertEquals(0, get("/v1/organizations/" + a.org() + "/executions", a.token()).json().path("items").size());
    }

    @Test
    public void anOrganizationSaturatingItsShareOfWorkersCannotDelayAnother() {
        awaitHealthy();
        Tenant busy = tenant("Busy Corp");
        Tenant quiet = tenant("Quiet Corp");
        stubSink(sink(), "{\"request\":{\"method\":\"POST\",\"url\":\"/busy\"},\"response\":{\"status\":200,"
                + "\"fixedDelayMilliseconds\":8000}}");
        stubSink(sink(), "{\"request\":{\"method\":\"POST\",\"url\":\"/quiet\"},\"response\":{\"status\":200}}");
        assertEquals(201, saveWebhookWorkflow(busy, "busy", "none", sink() + "/busy").status());
        assertEquals(201, saveWebhookWorkflow(quiet, "quiet", "none", sink() + "/quiet").status());

        for (int i = 0; i < 40; i++) {
            assertEquals(202, post("/webhook/busy", null, "{\"n\":" + i + "}").status());
        }
        // The busy organization holds its share of the workers (16) with calls that take 8 s each.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sinkRequests(sink(), "/busy").size() >= 16);

        String id = post("/webhook/quiet", null, "{}").json().path("executionIds").path(0).asText();
        AtomicReference<JsonNode> execution = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            execution.set(get("/v1/organizations/" + quiet.org() + "/executions/" + id, quiet.token()).json());
            return "succeeded".equals(execution.get().path("status").asText());
        });
        Duration waited = Duration.between(Instant.parse(execution.get().path("createdAt").asText()),
                Instant.parse(execution.get().path("startedAt").asText()));
        assertTrue("started after " + waited, waited.compareTo(Duration.ofSeconds(2)) < 0);
        System.out.println("the quiet organization's execution started " + waited.toMillis() + " ms after it was accepted");
        assertTrue("the busy one is still busy", sinkRequests(sink(), "/busy").size() < 40);
    }

    /**
     * Every operation of the served API document (connectors' included), tried against organization A by callers
     * who may not touch it: nobody, a revoked token, another organization's owner, A's owner through a token
     * limited to another organization, and (for changes) a member of A. Each is refused and nothing of A changes,
     * so a route added later without its checks fails here.
     */
    @Test
    public void everyOperationRefusesWhoeverMayNotTouchTheOrganization() {
        awaitHealthy();
        Tenant a = tenant("Matrix A");
        Tenant b = tenant("Matrix B");
        String wf = saveWebhookWorkflow(a, "matrix-a", "none", "http://10.255.0.1/unreachable").json().path("id").asText();
        String execution = post("/webhook/matrix-a", null, "{\"name\":\"Ann\"}").json().path("executionIds").path(0).asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "failed".equals(get("/v1/organizations/" + a.org()
                + "/executions/" + execution, a.token()).json().path("status").asText()));
        String teamMember = post("/v1/organizations/" + a.org() + "/team-members", a.token(),
                "{\"name\":\"Tia\",\"phone\":\"+16502530000\"}").json().path("id").asText();
        // A member of A; A's owner also through a token limited to B; a revoked token.
        String member = joined(a.org(), "member-" + a.org() + "@it.example", Role.MEMBER, Optional.empty()).token().secret();
        String scopedEmail = "scoped-" + a.org() + "@it.example";
        String scopedToB = joined(b.org(), scopedEmail, Role.OWNER, Optional.empty()).token().secret();
        joined(a.org(), scopedEmail, Role.OWNER, access.authenticate(scopedToB));
        IssuedToken revokedToken = access.createTokenFor("owner-" + a.org() + "@it.example", "revoked");
        access.revokeAnyToken(revokedToken.token().id());
        Map<String, String> before = snapshot(a);

        JsonNode paths = get("/v1/openapi.json", null).json().path("paths");
        List<String> tried = new ArrayList<>();
        paths.fields().forEachRemaining(entry -> entry.getValue().fields().forEachRemaining(op -> {
            String method = op.getKey().toUpperCase(Locale.ROOT);
            JsonNode security = op.getValue().path("security");
            boolean anonymousAllowed = security.isArray() && (security.isEmpty()
                    || StreamSupport.stream(security.spliterator(), false).anyMatch(JsonNode::isEmpty));
            if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method) || anonymousAllowed) {
                return; // public by design: health, the document, the webhook receiver, accepting an invitation
            }
            String template = entry.getKey();
            String path = template.replace("{orgId}", a.org()).replace("{path}", "matrix-a")
                    .replaceAll(template.contains("/workflows/") ? "\\{id}" : "^$", wf)
                    .replaceAll(template.contains("/executions/") ? "\\{id}" : "^$", execution)
                    .replaceAll(template.contains("/team-members/") ? "\\{id}" : "^$", teamMember)
                    .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            String what = method + " " + template;
            tried.add(what);
            assertRefused(what + " without a token", call(method, path, null, body), 401);
            assertRefused(what + " with a revoked token", call(method, path, revokedToken.secret(), body), 401);
            if (template.startsWith("/v1/organizations/{orgId}") || template.startsWith("/webhook-test/")) {
                assertRefused(what + " by another organization's owner", call(method, path, b.token(), body), 404);
                assertRefused(what + " with a token limited to another organization", call(method, path, scopedToB,
                        body), 403, 404);
                if (!method.equals("GET") && template.startsWith("/v1/organizations/{orgId}")) {
                    assertRefused(what + " by a member", call(method, path, member, body), 403, 404);
                }
            }
        }));

        assertTrue("the walk covered the API: " + tried, tried.size() > 40
                && tried.contains("POST /v1/organizations/{orgId}/executions/{id}/cancel")
                && tried.contains("PUT /v1/organizations/{orgId}/integrations/twilio"));
        assertEquals("nothing of A changed", before, snapshot(a));
    }

    private AcceptedInvitation joined(String org, String email, Role role, Optional<Principal> as) {
        return invitations.acceptWithToken(as, invitations.invite(Principal.SYSTEM, org, email, role).acceptToken());
    }

    /** One of {@code allowed}, or 429: the walk's own wrong tokens trip the failed-authentication limit. */
    private static void assertRefused(String what, Reply r, int... allowed) {
        assertTrue(what + " answered " + r.status() + " " + r.body(),
                r.status() == 429 || Arrays.stream(allowed).anyMatch(s -> s == r.status()));
        assertTrue(what + ": a problem, not " + r.contentType(), r.contentType() != null
                && r.contentType().startsWith("application/problem+json"));
    }

    /** What A's owner sees of A, to compare before and after. */
    private static Map<String, String> snapshot(Tenant t) {
        Map<String, String> seen = new TreeMap<>();
        for (String part : List.of("", "/workflows", "/executions", "/team-members", "/members", "/invitations",
                "/email-inboxes", "/integrations/salesforce", "/integrations/twilio")) {
            Reply r = get("/v1/organizations/" + t.org() + part, t.token());
            seen.put(part, r.status() + " " + r.body());
        }
        return seen;
    }

    @Test
    public void whatCannotBeStoredOrShownIsRefusedAtTheDoorWithAProblem() throws Exception {
        awaitHealthy();
        Tenant t = tenant("Limits Corp");
        assertEquals(201, saveWebhookWorkflow(t, "limits", "none").status());

        Reply deep = post("/webhook/limits", null, "[".repeat(1000) + "]".repeat(1000));
        assertEquals(deep.body(), 400, deep.status());
        assertTrue(deep.body(), deep.body().contains("maxNestingDepth"));
        assertEquals(400, post("/webhook/limits", null, "{\"n\":" + "9".repeat(1001) + "}").status());
        assertEquals(202, post("/webhook/limits", null, "{\"name\":\"Ann\"}").status());
        Reply list = get("/v1/organizations/" + t.org() + "/executions", t.token());
        assertEquals(200, list.status());
        assertEquals("the list stays whole JSON", 1, list.json().path("items").size());

        Reply nul = post("/v1/organizations/" + t.org() + "/team-members", t.token(),
                "{\"name\":\"Bea\\u0000\",\"phone\":\"+16502530000\"}");
        assertEquals(nul.body(), 422, nul.status());
        assertEquals("name", nul.json().path("errors").path(0).path("field").asText());
        Reply limit = get("/v1/organizations/" + t.org() + "/executions?limit=abc", t.token());
        assertEquals(limit.body(), 422, limit.status());
        assertEquals("limit", limit.json().path("errors").path(0).path("field").asText());

        // What Jetty refuses before any DooneFlow code runs is a problem too, never an HTML page.
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/v1/organizations/%00", "/webhook/" + "x".repeat(20_000))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(path.substring(0, 20) + " -> " + r.statusCode(), r.statusCode() == 400 || r.statusCode() == 414);
            assertTrue(r.body(), r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        }
    }

    @Test
    public void twoOrganizationsRacingForOnePathCannotBothWin() throws Exception {
        awaitHealthy();
        List<Tenant> tenants = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tenants.add(tenant("Racer " + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(tenants.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < tenants.size(); i++) {
                Tenant t = tenants.get(i);
                String spelling = i % 2 == 0 ? "race/hot" : "Race/Hot";
                replies.add(pool.submit((Callable<Reply>) () -> {
                    start.await();
                    return saveWebhookWorkflow(t, spelling, "none");
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                assertTrue(r.body(), r.status() == 201 || r.status() == 409);
                won += r.status() == 201 ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
        Reply in = post("/webhook/race/hot", null, "{}");
        assertEquals(in.body(), 202, in.status());
        JsonNode ids = in.json().path("executionIds");
        assertEquals(1, ids.size());
    }

    @Test
    public void anOrganizationCannotJoinSomeoneElsesAccountNorTellWhetherItExists() {
        awaitHealthy();
        Tenant a = tenant("A Invites");
        Tenant b = tenant("B Invited");
        String bOwner = get("/v1/me", b.token()).json().path("email").asText();

        // The same answer for an email with an account and one without: no user id, no token, the same fields.
        Reply existing = invite(a.org(), a.token(), bOwner, "admin");
        Reply unknown = invite(a.org(), a.token(), "nobody-" + a.org() + "@it.example", "admin");
        assertEquals(existing.body(), 201, existing.status());
        assertEquals(unknown.body(), 201, unknown.status());
        assertEquals(fieldNames(unknown.json()), fieldNames(existing.json()));
        assertEquals(fieldNames(unknown.json().path("invitation")), fieldNames(existing.json().path("invitation")));
        assertEquals("pending", existing.json().path("invitation").path("status").asText());
        assertNotContains(existing.body(), get("/v1/me", b.token()).json().path("id").asText());
        assertNotContains(existing.body(), "dft_");

        // Holding the accept token is not enough to join B's owner into A: only B's owner, signed in, can.
        String acceptToken = existing.json().path("acceptToken").asText();
        Reply anonymous = accept(acceptToken, null);
        assertEquals(anonymous.body(), 401, anonymous.status());
        assertStartsWith(anonymous.contentType(), "application/problem+json");
        Reply asInviter = accept(acceptToken, a.token());
        assertEquals(asInviter.body(), 403, asInviter.status());
        assertEquals(1, get("/v1/organizations", b.token()).json().path("items").size());
        assertEquals(1, get("/v1/organizations/" + a.org() + "/members", a.token()).json().path("items").size());

        // B's owner sees the invitation; nobody else can see, answer or revoke it through another organization.
        JsonNode mine = get("/v1/me/invitations", b.token()).json().path("items");
        assertEquals(1, mine.size());
        String id = mine.path(0).path("id").asText();
        assertEquals("A Invites", mine.path(0).path("organizationName").asText());
        assertEquals(0, get("/v1/me/invitations", a.token()).json().path("items").size());
        assertEquals(404, post("/v1/invitations/" + id + "/accept", a.token(), null).status());
        assertEquals(404, post("/v1/invitations/" + id + "/decline", a.token(), null).status());
        assertEquals(404, get("/v1/organizations/" + a.org() + "/invitations", b.token()).status());
        assertEquals(404, call("DELETE", "/v1/organizations/" + b.org() + "/invitations/" + id, b.token(), null).status());

        Reply declined = post("/v1/invitations/" + id + "/decline", b.token(), null);
        assertEquals(declined.body(), 204, declined.status());
        assertEquals(409, accept(acceptToken, b.token()).status());
        assertEquals(1, get("/v1/organizations", b.token()).json().path("items").size());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }
}
