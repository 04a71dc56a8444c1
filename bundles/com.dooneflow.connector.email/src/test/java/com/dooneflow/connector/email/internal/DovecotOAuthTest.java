package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.ws.rs.core.Response;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.Event;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.Callers;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.MutableClock;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.RecordingTriggerSink;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/**
 * OAuth 2.0 mailboxes end to end: the organization's app, consent through a local provider (state, PKCE, single
 * use), and a real Dovecot whose {@code oauth2} passdb asks that provider about each token, so the connector's SASL
 * {@code XOAUTH2} exchange is the real one, for polls and for the IDLE connection. Then a refresh before expiry,
 * done once for concurrent callers, and a revoked grant that turns the inbox to {@code needs_reconnect}.
 */
class DovecotOAuthTest {

    static final String PUBLIC_URL = "https://dooneflow.example.com";
    static final String ORG = "org-a";

    static DovecotRig dovecot;
    static TestCertificates certificates;
    static FakeOAuthProvider provider;
    static Path oauthConfig;

    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    InboxStore inboxes = new InboxStore(settings);
    RecordingEventLog events = new RecordingEventLog();
    EmailTrigger trigger = new EmailTrigger();
    RecordingTriggerSink sink = new RecordingTriggerSink();
    MutableClock clock = new MutableClock(java.time.Instant.now());
    EmailPollers pollers;
    EmailInboxResource resource;
    EmailOAuthAppResource appResource;

    @BeforeAll
    static void startDovecot() throws Exception {
        assertThat(DovecotRig.installed()).as("Dovecot must be installed: apt-get install dovecot-imapd").isTrue();
        certificates = TestCertificates.shared();
        provider = new FakeOAuthProvider();
        oauthConfig = Files.createTempDirectory("dooneflow-dovecot-oauth");
        Files.setPosixFilePermissions(oauthConfig, PosixFilePermissions.fromString("rwxr-xr-x"));
        dovecot = DovecotRig.start(certificates, provider.dovecotConfig(oauthConfig));
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
        provider.close();
        Files.deleteIfExists(oauthConfig.resolve("dovecot-oauth2.conf.ext"));
        Files.deleteIfExists(oauthConfig);
    }

    @BeforeEach
    void start() throws Exception {
        provider.expiresInSeconds = 3600;
        trigger.open(sink);
        EmailPollers.Settings s = new EmailPollers.Settings(1_000_000, certificates.trustingSocketFactory(),
                new OutboundGuard("127.0.0.1/32,::1/128"), 3600, 3_600_000, 100, Duration.ofSeconds(1500), PUBLIC_URL);
        pollers = new EmailPollers(new DefaultCamelContext(), inboxes, trigger,
                new InMemoryLeaseService(clock, "n"), new InMemoryDedupeStore(), events, s, clock, TestOutboundHttp.loopback());
        resource = new EmailInboxResource(EmailInboxResourceTest.organizations(), pollers, s);
        appResource = new EmailOAuthAppResource(EmailInboxResourceTest.organizations(), pollers);
    }

    @AfterEach
    void stop() {
        pollers.close();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> registerApp() {
        Response r = appResource.create(Callers.as("alice"), ORG, new HashMap<>(Map.of("provider", "generic",
                "clientId", FakeOAuthProvider.CLIENT_ID, "clientSecret", FakeOAuthProvider.CLIENT_SECRET,
                "authorizeUrl", provider.url("/authorize"), "tokenUrl", provider.url("/token"),
                "scopes", "imap offline_access")));
        assertThat(r.getStatus()).isEqualTo(201);
        return (Map<String, Object>) r.getEntity();
    }

    @SuppressWarnings("unchecked")
    Inbox createInbox(boolean idle) {
        Response r = resource.create(Callers.as("alice"), ORG, new HashMap<>(Map.of("emailAddress",
                "support@example.com", "auth", "oauth2", "oauthProvider", "generic", "host", "localhost", "port",
                dovecot.imapsPort, "username", DovecotRig.USER, "pollIntervalSeconds", 300, "idle", idle)));
        assertThat(r.getStatus()).isEqualTo(201);
        Map<String, Object> view = (Map<String, Object>) r.getEntity();
        assertThat(view).containsEntry("auth", "oauth2").containsEntry("authStatus", "not_connected")
                .containsEntry("passwordSet", false);
        sink.watch(ORG, "wf", Map.of("inboxId", view.get("id")));
        return stored((String) view.get("id"));
    }

    /** The browser's trip: DooneFlow's authorize URL → the provider's consent → back to the callback. */
    Response consent(Inbox inbox) throws Exception {
        String authorizeUrl = (String) resource.connect(Callers.as("alice"), ORG, inbox.id()).get("authorizeUrl");
        HttpResponse<String> redirect = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(authorizeUrl)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI back = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(back.getScheme() + "://" + back.getAuthority() + back.getPath())
                .isEqualTo(PUBLIC_URL + "/v1/organizations/" + ORG + "/email-inboxes/oauth/callback");
        Map<String, String> q = FakeOAuthProvider.form(back.getRawQuery());
        return resource.callback(ORG, q.get("state"), q.get("code"), q.get("error"), q.get("error_description"), null);
    }

    Inbox stored(String id) {
        return inboxes.require(ORG, id);
    }

    ImapTestClient client(Inbox inbox) throws Exception {
        return new ImapTestClient(inbox, DovecotRig.PASSWORD, certificates.trustingSocketFactory());
    }

    long taken(String subject) {
        return sink.accepted().stream().filter(e -> subject.equals(e.data().get("email_subject"))).count();
    }

    @Test
    void anInboxSignsInThroughConsentAndReadsMailWithXoauth2ByPollAndByIdle() throws Exception {
        Map<String, Object> app = registerApp();
        assertThat(app).containsEntry("redirectUri", PUBLIC_URL + "/v1/organizations/" + ORG
                + "/email-inboxes/oauth/callback").containsEntry("clientSecretSet", true);
        assertThat(app.toString()).doesNotContain(FakeOAuthProvider.CLIENT_SECRET);
        int refreshes = provider.refreshes.get();
        Inbox inbox = createInbox(true);
        assertThat(pollers.pollNow(inbox.id())).as("not connected: not polled").isEmpty();

        String authorizeUrl = (String) resource.connect(Callers.as("alice"), ORG, inbox.id()).get("authorizeUrl");
        assertThat(authorizeUrl).startsWith(provider.url("/authorize?response_type=code&client_id=client-123"))
                .contains("code_challenge_method=S256", "&state=" + inbox.id() + ".", "scope=imap+offline_access",
                        "login_hint=support");
        Response connected = consent(inbox);
        assertThat(connected.getStatus()).as(String.valueOf(connected.getEntity())).isEqualTo(200);
        assertThat(stored(inbox.id()).auth().status()).isEqualTo("connected");
        assertThat(settings.vault().all()).containsValue(FakeOAuthProvider.CLIENT_SECRET); // in the vault only
        assertThat(resource.get(Callers.as("alice"), ORG, inbox.id()).toString()).doesNotContain("at-", "rt-");

        // A poll signs in with XOAUTH2 (Dovecot asked the provider about the token) and reads the email. On a busy
        // machine the route's own first poll or the IDLE connection's may take it before this one: once, either way.
        client(inbox).append(ImapTestClient.email("lena@example.org", "Polled via OAuth", "x"));
        InboxPoller.Result polled = pollers.pollNow(inbox.id()).orElseThrow();
        assertThat(polled.error()).as(dovecot.log()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> taken("Polled via OAuth") == 1);
        assertThat(polled.processed()).isLessThanOrEqualTo(1);
        assertThat(dovecot.log()).contains("method=XOAUTH2");
        assertThat(resource.test(Callers.as("alice"), ORG, inbox.id())).containsEntry("ok", true);

        // The IDLE connection signs in the same way: new mail is taken within seconds.
        await().atMost(Duration.ofSeconds(10)).until(() -> stored(inbox.id()).mode().equals("idle"));
        client(inbox).append(ImapTestClient.email("lena@example.org", "Pushed via OAuth", "x"));
        await().atMost(Duration.ofSeconds(2)).until(() -> taken("Pushed via OAuth") == 1);
        assertThat(provider.refreshes.get()).isEqualTo(refreshes);
        assertThat(events.at(Event.Level.ERROR)).isEmpty();
    }

    @Test
    void theConsentResponseIsSingleUseAndADenialChangesNothing() throws Exception {
        registerApp();
        Inbox inbox = createInbox(false);
        String authorizeUrl = (String) resource.connect(Callers.as("alice"), ORG, inbox.id()).get("authorizeUrl");
        String state = FakeOAuthProvider.form(URI.create(authorizeUrl).getRawQuery()).get("state");

        provider.deny = true;
        try {
            Response denied = consent(inbox);
            assertThat(denied.getStatus()).isEqualTo(400);
            assertThat(String.valueOf(denied.getEntity())).contains("access_denied");
        } finally {
            provider.deny = false;
        }
        assertThat(stored(inbox.id()).auth().status()).isEqualTo("not_connected");
        // The first state died when the second Connect started; a made-up one matches nothing.
        assertThat(resource.callback(ORG, state, "code", null, null, null).getStatus()).isEqualTo(400);
        assertThat(resource.callback(ORG, "nonsense", "code", null, null, null).getStatus()).isEqualTo(400);
        assertThat(resource.callback("org-b", inbox.id() + ".x", "code", null, null, null).getStatus()).isEqualTo(400);

        assertThat(consent(inbox).getStatus()).isEqualTo(200);
        assertThat(provider.exchanges.get()).isPositive();
    }

    @Test
    void aTokenNearExpiryIsRefreshedOnceForConcurrentCallersAndStillSignsIn() throws Exception {
        registerApp();
        Inbox inbox = createInbox(false);
        assertThat(consent(inbox).getStatus()).isEqualTo(200);
        Inbox connected = stored(inbox.id());
        int before = provider.refreshes.get();
        String first = pollers.signIn().accessToken(connected);
        assertThat(provider.refreshes.get()).isEqualTo(before);

        // Less than five minutes left: the next callers refresh, once, whoever comes first.
        clock.advance(Duration.ofMinutes(56));
        List<CompletableFuture<String>> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(CompletableFuture.supplyAsync(() -> pollers.signIn().accessToken(connected)));
        }
        List<String> tokens = callers.stream().map(CompletableFuture::join).distinct().toList();
        assertThat(provider.refreshes.get() - before).isEqualTo(1);
        assertThat(tokens).hasSize(1).doesNotContain(first);

        // The old token is gone at the provider; a new connection (the interval changed) signs in with the new one.
        provider.expireAccessTokens();
        pollers.signIn().accessToken(connected); // still fresh: no second refresh
        assertThat(provider.refreshes.get() - before).isEqualTo(1);
        provider.expiresInSeconds = 3600;
        clock.advance(Duration.ofMinutes(60));
        resource.update(Callers.as("alice"), ORG, inbox.id(), Map.of("pollIntervalSeconds", 301));
        pollers.reconcile();
        client(inbox).append(ImapTestClient.email("a@example.org", "After refresh", "x"));
        InboxPoller.Result polled = pollers.pollNow(inbox.id()).orElseThrow();
        assertThat(polled.error()).as(dovecot.log()).isNull();
        assertThat(taken("After refresh")).isEqualTo(1);
    }

    @Test
    void aRevokedGrantMarksTheInboxNeedsReconnectWithOneEventAndReconnectingResumes() throws Exception {
        registerApp();
        Inbox inbox = createInbox(false);
        assertThat(consent(inbox).getStatus()).isEqualTo(200);
        assertThat(pollers.pollNow(inbox.id()).orElseThrow().error()).isNull();

        provider.revokeAll();
        clock.advance(Duration.ofMinutes(58));
        resource.update(Callers.as("alice"), ORG, inbox.id(), Map.of("pollIntervalSeconds", 301)); // reconnects
        pollers.reconcile();
        InboxPoller.Result failed = pollers.pollNow(inbox.id()).orElseThrow();
        assertThat(failed.error()).contains("needs to be reconnected");

        Inbox revoked = stored(inbox.id());
        assertThat(revoked.auth().status()).isEqualTo("needs_reconnect");
        assertThat(revoked.lastError()).contains("needs to be reconnected", "Connect");
        assertThat(events.at(Event.Level.ERROR)).hasSize(1);
        assertThat(events.at(Event.Level.ERROR).get(0).message()).contains("needs to be reconnected");
        pollers.reconcile();
        assertThat(pollers.runningInboxIds()).doesNotContain(inbox.id());
        assertThat(settings.secret(inbox.id(), Inbox.REFRESH_TOKEN)).isEmpty();

        // Connect again: polled again, and what arrived meanwhile is read.
        client(inbox).append(ImapTestClient.email("a@example.org", "While disconnected", "x"));
        assertThat(consent(inbox).getStatus()).isEqualTo(200);
        pollers.reconcile();
        InboxPoller.Result resumed = pollers.pollNow(inbox.id()).orElseThrow();
        assertThat(resumed.error()).as(dovecot.log()).isNull();
        assertThat(taken("While disconnected")).isEqualTo(1);
        assertThat(stored(inbox.id()).lastError()).isNull();
        assertThat(events.at(Event.Level.ERROR)).hasSize(1);
    }
}
