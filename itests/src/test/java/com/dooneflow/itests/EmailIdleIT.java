package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * IMAP IDLE and OAuth 2.0 inboxes on the real distribution (PostgreSQL) against a real Dovecot: an email delivered
 * by Dovecot's delivery agent starts its workflow within 2 s; a restart and an outage of the server end the IDLE
 * connection, which reconnects (after the outage, having fallen back to polling meanwhile), and every email
 * delivered before, during and after runs its workflow exactly once; an inbox that signs in with OAuth 2.0 connects through consent at a local provider, reads
 * mail with SASL XOAUTH2 (Dovecot's {@code oauth2} passdb asks the provider about each token), keeps reading after
 * its token is refreshed, and turns {@code needs_reconnect} when the grant is revoked.
 * <p>
 * Dovecot and the provider start in the test JVM from the configuration method ({@link HostDovecot},
 * {@link HostDovecotOAuth}), because the distribution's settings (trusted certificate, ports) must be known before
 * it boots. The tests, inside the distribution, deliver mail (with Dovecot's delivery agent, or into the maildir
 * while the server is down) and stop and start the server on the same private configuration
 * ({@link DovecotCommands}): both JVMs run as root on this machine. Polls
 * run at the inbox's interval (300 s) and its first poll, a second after the inbox is created, takes the lease and
 * opens the IDLE connection; mail in between is taken only because IDLE announced it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EmailIdleIT extends DooneFlowTestSupport {

    /** Where the workflows post each email's subject (a WireMock sink in the test JVM). */
    private static final String SINK_PATH = "/email-idle";

    @Configuration
    public Option[] config() throws Exception {
        String provider = HostDovecotOAuth.start();
        HostDovecot dovecot = HostDovecot.start(provider + "/introspect");
        List<Option> options = ownerOnPostgres(postgresDatabaseOfThisClass());
        // The inboxes name localhost, one of the names in Dovecot's certificate (EmailIdleClusterIT names its address).
        options.add(editConfigurationFilePut("etc/com.dooneflow.cfg", "outboundAllowlist", "127.0.0.1/32,::1/128"));
        options.add(editConfigurationFilePut("etc/com.dooneflow.cfg", "emailTrustedCertificates",
                dovecot.certificate().toString()));
        options.add(systemProperty("dooneflow.it.dovecot.dir").value(dovecot.dir.toString()));
        options.add(systemProperty("dooneflow.it.dovecot.port").value(String.valueOf(dovecot.imapsPort)));
        options.add(systemProperty("dooneflow.it.dovecot.oauth").value(provider));
        options.add(systemProperty("dooneflow.it.sink").value("http://127.0.0.1:" + HostSink.start()));
        return distribution(options.toArray(new Option[0]));
    }

    private static DovecotCommands dovecot() {
        return new DovecotCommands(Path.of(System.getProperty("dooneflow.it.dovecot.dir")), port());
    }

    private static String sink() {
        return System.getProperty("dooneflow.it.sink");
    }

    private static int port() {
        return Integer.getInteger("dooneflow.it.dovecot.port");
    }

    @Test
    public void anEmailDeliveredToDovecotStartsItsWorkflowWithinTwoSecondsWithIdle() throws Exception {
        String org = setUp();
        String inbox = passwordInbox(org, HostDovecot.IDLE_USER);
        String workflow = emailWorkflow(org, inbox);
        awaitMode(org, inbox, "idle");

        List<Long> delays = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            delays.add(deliverAndAwaitWithinTwoSeconds(org, workflow, HostDovecot.IDLE_USER, "Pushed " + i, i));
        }
        System.out.println("IDLE on the distribution (Dovecot, IMAPS): dovecot-lda to execution " + delays + " ms");
        JsonNode status = inbox(org, inbox);
        assertEquals(status.toString(), "idle", status.path("mode").asText());
        assertTrue(status.toString(), status.path("lastError").isNull());
        assertTrue(status.toString(), status.path("lastEventAt").isTextual());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inbox(org, inbox).path("messagesProcessed")
                .asInt() == 5);
        assertEquals(204, call("DELETE", inboxes(org) + "/" + inbox, OWNER_TOKEN, null).status());
    }

    @Test
    public void aRestartAndAnOutageOfDovecotFallBackAndRecoverAndEachEmailRunsItsWorkflowOnce() throws Exception {
        String org = setUp();
        String user = HostDovecot.OUTAGE_USER;
        String inbox = passwordInbox(org, user);
        String workflow = emailWorkflow(org, inbox);
        awaitMode(org, inbox, "idle");
        deliverAndAwaitWithinTwoSeconds(org, workflow, user, "Before the restart", 1);

        // A restart: the IDLE connection dies and reconnects (1 s later); mail that landed meanwhile is caught up.
        int logins = occurrences(dovecot().log(), "Login: user=<" + user + ">");
        dovecot().stop();
        dovecot().dropIntoMaildir(user, "During the restart");
        dovecot().start();
        // Usually 1 s; 30 s allow for one attempt that met the old server still closing (read timeout 20 s).
        Awaitility.await("the restart's mail").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> executionsAbout(org, "During the restart") == 1);
        assertEquals("idle", inbox(org, inbox).path("mode").asText());
        assertTrue("signed in again", occurrences(dovecot().log(), "Login: user=<" + user + ">") > logins);

        // An outage: after three failures in a row the inbox says it is polled (a connection that lasted less than a
        // minute, as the one after the restart, is no fresh start), and it comes back when the server does.
        dovecot().stop();
        Awaitility.await("the fall back to polling").atMost(Duration.ofSeconds(30)).until(() ->
                "poll".equals(inbox(org, inbox).path("mode").asText()));
        assertContains(inbox(org, inbox).path("lastError").asText(), "The IDLE connection failed 3 times in a row");
        dovecot().dropIntoMaildir(user, "During the outage");
        dovecot().start();
        Awaitility.await("IDLE again").atMost(Duration.ofSeconds(60)).until(() ->
                "idle".equals(inbox(org, inbox).path("mode").asText()));
        Awaitility.await("the outage's mail").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> executionsAbout(org, "During the outage") == 1);
        assertTrue(inbox(org, inbox).toString(), inbox(org, inbox).path("lastError").isNull());
        deliverAndAwaitWithinTwoSeconds(org, workflow, user, "After the outage", 4);

        // Exactly once each, and no late duplicates.
        Awaitility.await("no duplicates").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> executionCount(org, workflow) == 4);
        for (String subject : List.of("Before the restart", "During the restart", "During the outage",
                "After the outage")) {
            assertEquals(subject, 1, executionsAbout(org, subject));
            Awaitility.await("the workflow ran for " + subject).atMost(Duration.ofSeconds(30))
                    .until(() -> posted(subject) == 1);
        }
        String events = get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body();
        assertEquals(events, 1, occurrences(events, "The IDLE connection failed 3 times in a row"));
        assertContains(events, "is fetched at once again (IDLE)");
        assertEquals(204, call("DELETE", inboxes(org) + "/" + inbox, OWNER_TOKEN, null).status());
    }

    @Test
    public void anOAuthInboxReadsMailThroughXoauth2SurvivesARefreshAndNeedsReconnectWhenTheGrantIsRevoked()
            throws Exception {
        String org = setUp();
        String provider = System.getProperty("dooneflow.it.dovecot.oauth");
        String user = HostDovecot.OAUTH_USER;
        Reply app = post("/v1/organizations/" + org + "/email-oauth-apps", OWNER_TOKEN, "{\"provider\":\"generic\","
                + "\"clientId\":\"" + HostDovecotOAuth.CLIENT_ID + "\",\"clientSecret\":\""
                + HostDovecotOAuth.CLIENT_SECRET + "\",\"authorizeUrl\":\"" + provider + "/authorize\",\"tokenUrl\":\""
                + provider + "/token\",\"scopes\":\"imap offline_access\"}");
        assertEquals(app.body(), 201, app.status());
        Reply created = post(inboxes(org), OWNER_TOKEN, "{\"emailAddress\":\"" + user + "@it.example\","
                + "\"auth\":\"oauth2\",\"oauthProvider\":\"generic\",\"host\":\"localhost\",\"port\":" + port()
                + ",\"security\":\"ssl\",\"username\":\"" + user + "\",\"pollIntervalSeconds\":300}");
        assertEquals(created.body(), 201, created.status());
        assertEquals("not_connected", created.json().path("authStatus").asText());
        String inbox = created.json().path("id").asText();
        String workflow = emailWorkflow(org, inbox);

        // Consent, then the poll and the IDLE connection sign in with XOAUTH2 tokens Dovecot checks at the provider.
        connect(inboxes(org), inbox);
        assertEquals("connected", inbox(org, inbox).path("authStatus").asText());
        awaitMode(org, inbox, "idle");
        deliverAndAwaitWithinTwoSeconds(org, workflow, user, "OAuth 1", 1);
        assertContains(dovecot().log(), "user=<" + user + ">, method=XOAUTH2");
        Reply tested = post(inboxes(org) + "/" + inbox + "/test", OWNER_TOKEN, null);
        assertEquals(tested.body(), true, tested.json().path("ok").asBoolean());

        // New connections (the interval changed) refresh the 60 s token first; Dovecot signs in the new one.
        int refreshes = counter(provider, "refreshes");
        int logins = occurrences(dovecot().log(), "user=<" + user + ">, method=XOAUTH2");
        assertEquals(200, call("PATCH", inboxes(org) + "/" + inbox, OWNER_TOKEN, "{\"pollIntervalSeconds\":301}")
                .status());
        Awaitility.await("a refreshed token signs in").atMost(Duration.ofSeconds(30))
                .until(() -> counter(provider, "signed-in") > refreshes);
        // The new route's poll and then its IDLE connection (the change is applied asynchronously).
        Awaitility.await("two new sign-ins").atMost(Duration.ofSeconds(30)).until(() ->
                occurrences(dovecot().log(), "user=<" + user + ">, method=XOAUTH2") >= logins + 2);
        awaitMode(org, inbox, "idle");
        deliverAndAwaitWithinTwoSeconds(org, workflow, user, "OAuth 2", 2);

        // The grant is revoked: the next sign-in cannot refresh, the inbox needs reconnecting and is not read.
        callUrl("POST", provider + "/__fake/revoke", "");
        assertEquals(200, call("PATCH", inboxes(org) + "/" + inbox, OWNER_TOKEN, "{\"pollIntervalSeconds\":302}")
                .status());
        Awaitility.await("needs_reconnect").atMost(Duration.ofSeconds(30)).until(() ->
                "needs_reconnect".equals(inbox(org, inbox).path("authStatus").asText()));
        assertContains(inbox(org, inbox).path("lastError").asText(), "needs to be reconnected");
        assertContains(get("/v1/organizations/" + org + "/events", OWNER_TOKEN).body(), "needs to be reconnected");
        dovecot().deliver(user, "OAuth 3");

        // Connecting again resumes, and what arrived meanwhile is read, once.
        connect(inboxes(org), inbox);
        Awaitility.await("the mail that waited").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> executionsAbout(org, "OAuth 3") == 1);
        Awaitility.await("no duplicates").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> executionCount(org, workflow) == 3);
        JsonNode status = inbox(org, inbox);
        assertEquals(status.toString(), "connected", status.path("authStatus").asText());
        assertTrue(status.toString(), status.path("lastError").isNull());
        assertEquals(204, call("DELETE", inboxes(org) + "/" + inbox, OWNER_TOKEN, null).status());
    }

    /** Delivers with dovecot-lda and waits at most 2 s for the execution; returns the delay in ms. */
    private static long deliverAndAwaitWithinTwoSeconds(String org, String workflow, String user, String subject,
                                                        int executions) throws Exception {
        long sent = System.nanoTime();
        dovecot().deliver(user, subject);
        Awaitility.await(subject).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> executionCount(org, workflow) == executions);
        long delay = (System.nanoTime() - sent) / 1_000_000;
        assertEquals(1, executionsAbout(org, subject));
        return delay;
    }

    private static String passwordInbox(String org, String user) {
        Reply created = post(inboxes(org), OWNER_TOKEN, "{\"emailAddress\":\"" + user + "@it.example\","
                + "\"host\":\"localhost\",\"port\":" + port() + ",\"security\":\"ssl\",\"username\":\"" + user
                + "\",\"password\":\"" + HostDovecot.PASSWORD + "\",\"pollIntervalSeconds\":300}");
        assertEquals(created.body(), 201, created.status());
        String inbox = created.json().path("id").asText();
        Reply tested = post(inboxes(org) + "/" + inbox + "/test", OWNER_TOKEN, null);
        assertEquals(tested.body(), true, tested.json().path("ok").asBoolean()); // TLS checked against the cert
        return inbox;
    }

    private static String emailWorkflow(String org, String inbox) {
        Reply workflow = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, "{\"name\":\"email-" + inbox
                + "\",\"trigger\":{\"type\":\"email.imap\",\"params\":{\"inboxId\":\"" + inbox + "\"}},"
                + "\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"" + sink() + SINK_PATH
                + "\",\"payload\":{\"subject\":\"{email_subject}\"}}}]}");
        assertEquals(workflow.body(), 201, workflow.status());
        return workflow.json().path("id").asText();
    }

    private static void awaitMode(String org, String inbox, String mode) {
        Awaitility.await("mode " + mode).atMost(Duration.ofSeconds(30))
                .until(() -> mode.equals(inbox(org, inbox).path("mode").asText()));
    }

    private static String inboxes(String org) {
        return "/v1/organizations/" + org + "/email-inboxes";
    }

    private static JsonNode inbox(String org, String inbox) {
        return get(inboxes(org) + "/" + inbox, OWNER_TOKEN).json();
    }

    private static int executionCount(String org, String workflow) {
        return get("/v1/organizations/" + org + "/executions?workflowId=" + workflow + "&limit=500", OWNER_TOKEN)
                .json().path("items").size();
    }

    /** Executions whose trigger data mention the subject (each subject is unique in this test). */
    private static int executionsAbout(String org, String subject) {
        return get("/v1/organizations/" + org + "/executions?limit=500&q=" + URLEncoder.encode(subject,
                StandardCharsets.UTF_8), OWNER_TOKEN).json().path("items").size();
    }

    /** How many times the workflows posted this subject to the sink. */
    private static long posted(String subject) {
        return sinkRequests(sink(), SINK_PATH).stream().filter(r -> r.path("body").asText()
                .contains("\"" + subject + "\"")).count();
    }

    private static int counter(String provider, String name) {
        return Integer.parseInt(callUrl("GET", provider + "/__fake/" + name, null).body().trim());
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Plays the browser: Connect, consent at the provider, and back to the distribution's callback. */
    private static void connect(String base, String inbox) throws Exception {
        Reply started = post(base + "/" + inbox + "/connect", OWNER_TOKEN, null);
        assertEquals(started.body(), 200, started.status());
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> consent = browser.send(HttpRequest.newBuilder(URI.create(
                started.json().path("authorizeUrl").asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(consent.body(), 302, consent.statusCode());
        // The redirect URI names publicUrl; this browser reaches the distribution at base().
        URI back = URI.create(consent.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(base() + back.getRawPath() + "?"
                + back.getRawQuery())).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(done.body(), 200, done.statusCode());
        assertContains(done.body(), "is connected");
    }

    private String setUp() {
        awaitHealthy();
        stubSink(sink(), "{\"request\":{\"method\":\"POST\",\"url\":\"" + SINK_PATH
                + "\"},\"response\":{\"status\":200}}");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> get("/v1/connectors", OWNER_TOKEN).body()
                .contains("email.imap") && get("/v1/me", OWNER_TOKEN).status() == 200);
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }
}
