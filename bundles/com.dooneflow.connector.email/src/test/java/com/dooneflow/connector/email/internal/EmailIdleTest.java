package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.Event;
import com.dooneflow.api.Role;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.Callers;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.dooneflow.testing.MutableClock;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.RecordingTriggerSink;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/**
 * IMAP IDLE against GreenMail (which offers IDLE). Inboxes poll every 300 s and the scheduler's first poll is an
 * hour away, so an email taken within seconds was fetched because the server announced it. One "poll now" per
 * inbox plays the scheduler's first poll, which takes the lease and so opens the IDLE connection.
 */
class EmailIdleTest {

    static final String ORG = "org-1";
    static final String PASSWORD = "secret-1";
    static final Duration AT_ONCE = Duration.ofSeconds(2);

    static TestCertificates certificates;
    static SSLSocketFactory tls;

    GreenMail greenMail;
    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    InMemoryDedupeStore dedupe = new InMemoryDedupeStore();
    InMemoryLeaseService leases = new InMemoryLeaseService(Clock.systemUTC(), "node-a");
    RecordingEventLog events = new RecordingEventLog();
    RecordingTriggerSink sink = new RecordingTriggerSink();
    EmailTrigger trigger = new EmailTrigger();
    InboxStore inboxes = new InboxStore(settings);
    EmailPollers pollers;
    int maxIdleConnections = 100;
    Duration idleRenew = Duration.ofSeconds(1500);

    @BeforeAll
    static void certificate() throws Exception {
        certificates = TestCertificates.shared();
        tls = certificates.trustingSocketFactory();
    }

    @BeforeEach
    void start() {
        greenMail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        greenMail.start();
        greenMail.setUser("support@example.com", "support", PASSWORD);
        greenMail.setUser("sales@example.com", "sales", PASSWORD);
        trigger.open(sink);
    }

    @AfterEach
    void stop() {
        if (pollers != null) {
            pollers.close();
        }
        greenMail.stop();
    }

    EmailPollers.Settings settings() {
        return new EmailPollers.Settings(10_000_000, tls, new OutboundGuard("127.0.0.1/32,::1/128"), 3600, 3_600_000,
                maxIdleConnections, idleRenew);
    }

    EmailPollers pollers(InMemoryLeaseService leaseService) throws Exception {
        return new EmailPollers(new DefaultCamelContext(), inboxes, trigger, leaseService, dedupe, events, settings(),
                Clock.systemUTC(), TestOutboundHttp.loopback());
    }

    Inbox inbox(String user, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("emailAddress", user + "@example.com", "host", "127.0.0.1",
                "port", greenMail.getImap().getPort(), "security", "none", "username", user, "password", PASSWORD,
                "pollIntervalSeconds", 300));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        Inbox inbox = inboxes.create(ORG, body);
        sink.watch(ORG, "wf-" + user, Map.of("inboxId", inbox.id()));
        return inbox;
    }

    ImapTestClient client(Inbox inbox) {
        return new ImapTestClient(inbox, PASSWORD, tls);
    }

    Inbox stored(Inbox inbox) {
        return inboxes.require(ORG, inbox.id());
    }

    void awaitMode(Inbox inbox, String mode) {
        await().atMost(Duration.ofSeconds(10)).until(() -> stored(inbox).mode().equals(mode));
    }

    long taken(String subject) {
        return sink.accepted().stream().filter(e -> subject.equals(e.data().get("email_subject"))).count();
    }

    @Test
    void newMailIsTakenWithinSecondsWithoutWaitingForThePollAndTheApiShowsIt() throws Exception {
        Inbox inbox = inbox("support");
        pollers = pollers(leases);
        assertThat(pollers.pollNow(inbox.id()).orElseThrow().status()).isEqualTo("polled");
        awaitMode(inbox, "idle");

        client(inbox).append(ImapTestClient.email("a@example.org", "At once", "x"));

        await().atMost(AT_ONCE).until(() -> taken("At once") == 1);
        await().atMost(AT_ONCE).until(() -> client(inbox).unread() == 0); // committed, then marked read
        assertThat(stored(inbox).messagesProcessed()).isEqualTo(1);
        assertThat(pollers.idleConnections()).isEqualTo(1);
        var resource = new EmailInboxResource(new InMemoryOrganizationService().grant("alice", ORG, Role.MEMBER),
                pollers, settings());
        await().atMost(AT_ONCE).untilAsserted(() -> assertThat(resource.get(Callers.as("alice"), ORG, inbox.id()))
                .containsEntry("idle", true).containsEntry("mode", "idle").containsEntry("lastError", null)
                .hasEntrySatisfying("lastEventAt", at -> assertThat(at).isNotNull()));
        // Polls: the first one, the one when IDLE began, the email's. Our own mark-as-read ends IDLE too, but is
        // no new mail, so it polls nothing.
        assertThat(sink.bindingCalls()).isLessThanOrEqualTo(3);
    }

    @Test
    void idleOffPollsOnlyAndTurningItOnOrOffOrDeactivatingTakesEffectAtRuntime() throws Exception {
        Inbox inbox = inbox("support", "idle", false);
        pollers = pollers(leases);
        pollers.pollNow(inbox.id());
        client(inbox).append(ImapTestClient.email("a@example.org", "Polled", "x"));

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> sink.accepted().isEmpty());
        assertThat(pollers.idleConnections()).isZero();
        assertThat(stored(inbox).mode()).isEqualTo("poll");
        assertThat(pollers.pollNow(inbox.id()).orElseThrow().processed()).isEqualTo(1);

        inboxes.update(ORG, inbox.id(), Map.of("idle", true));
        pollers.pollNow(inbox.id()); // the route is replaced, and its first poll takes the lease
        awaitMode(inbox, "idle");
        client(inbox).append(ImapTestClient.email("a@example.org", "Now at once", "x"));
        await().atMost(AT_ONCE).until(() -> taken("Now at once") == 1);

        inboxes.update(ORG, inbox.id(), Map.of("idle", false));
        pollers.changed();
        await().atMost(Duration.ofSeconds(10)).until(() -> pollers.idleConnections() == 0);
        assertThat(stored(inbox).mode()).isEqualTo("poll");

        inboxes.update(ORG, inbox.id(), Map.of("idle", true));
        pollers.pollNow(inbox.id());
        awaitMode(inbox, "idle");
        inboxes.update(ORG, inbox.id(), Map.of("active", false));
        pollers.changed();
        await().atMost(Duration.ofSeconds(10)).until(() -> pollers.idleConnections() == 0);
        assertThat(stored(inbox).mode()).isEqualTo("poll");
        assertThat(leases.held()).isEmpty();
    }

    @Test
    void beyondTheBoundInboxesPollAndOneTakesAFreedConnection() throws Exception {
        maxIdleConnections = 1;
        Inbox support = inbox("support");
        Inbox sales = inbox("sales");
        pollers = pollers(leases);
        pollers.pollNow(support.id());
        awaitMode(support, "idle");
        pollers.pollNow(sales.id());

        assertThat(pollers.idleConnections()).isEqualTo(1);
        assertThat(stored(sales).mode()).isEqualTo("poll");
        client(sales).append(ImapTestClient.email("a@example.org", "For sales", "x"));
        client(support).append(ImapTestClient.email("a@example.org", "For support", "x"));
        await().atMost(AT_ONCE).until(() -> taken("For support") == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> taken("For sales") == 0);

        inboxes.update(ORG, support.id(), Map.of("active", false));
        pollers.changed();
        await().atMost(Duration.ofSeconds(10)).until(() -> pollers.idleConnections() == 0);
        assertThat(pollers.pollNow(sales.id()).orElseThrow().processed()).isEqualTo(1); // its next poll...
        awaitMode(sales, "idle"); // ...takes the freed connection
        client(sales).append(ImapTestClient.email("a@example.org", "Sales at once", "x"));
        await().atMost(AT_ONCE).until(() -> taken("Sales at once") == 1);
        assertThat(pollers.idleConnections()).isEqualTo(1);
    }

    @Test
    void idleIsRenewedOnTheSameConnection() throws Exception {
        idleRenew = Duration.ofSeconds(1);
        Inbox inbox = inbox("support");
        pollers = pollers(leases);
        pollers.pollNow(inbox.id());
        IdleWatcher watcher = pollers.idleWatcher(inbox.id()).orElseThrow();

        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.rounds() >= 3);

        assertThat(watcher.connects()).isEqualTo(1);
        client(inbox).append(ImapTestClient.email("a@example.org", "After renewals", "x"));
        await().atMost(AT_ONCE).until(() -> taken("After renewals") == 1);
        assertThat(sink.bindingCalls()).isLessThanOrEqualTo(3); // as above: renewals poll nothing
    }

    @Test
    void mailThatLandsBetweenTheCatchUpPollAndTheIdleIsTakenAtOnceWithTheDefaultRenewal() throws Exception {
        Inbox inbox = inbox("support");
        pollers = pollers(leases);
        pollers.reconcile(); // the route and its watcher, before the first poll opens the IDLE connection
        CountDownLatch delivered = new CountDownLatch(1);
        pollers.idleWatcher(inbox.id()).orElseThrow().afterCatchUp(() -> {
            try {
                client(inbox).append(ImapTestClient.email("a@example.org", "In the gap", "x"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            delivered.countDown();
        });
        pollers.pollNow(inbox.id());

        assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(AT_ONCE).until(() -> taken("In the gap") == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> taken("In the gap") == 1);
    }

    @Test
    void theIdleConnectionMovesWithTheLeaseAndOnlyItsHolderTakesTheEmail() throws Exception {
        MutableClock leaseClock = new MutableClock();
        InMemoryLeaseService nodeA = new InMemoryLeaseService(leaseClock, "node-a");
        Inbox inbox = inbox("support");
        pollers = pollers(nodeA);
        EmailPollers b = pollers(nodeA.forNode("node-b"));
        try {
            pollers.pollNow(inbox.id());
            awaitMode(inbox, "idle");
            assertThat(b.pollNow(inbox.id()).orElseThrow().status()).contains("another DooneFlow node");
            assertThat(b.idleConnections()).isZero();

            leaseClock.advance(Duration.ofMinutes(12)); // node A stopped renewing: its lease (660 s) expires
            assertThat(b.pollNow(inbox.id()).orElseThrow().status()).isEqualTo("polled");
            await().atMost(Duration.ofSeconds(10)).until(() -> b.idleConnections() == 1);
            client(inbox).append(ImapTestClient.email("a@example.org", "Which node?", "x"));

            await().atMost(AT_ONCE).until(() -> taken("Which node?") == 1);
            // Node A heard of the email too; its poll found the lease taken and closed its connection.
            await().atMost(Duration.ofSeconds(10)).until(() -> pollers.idleConnections() == 0);
            assertThat(pollers.idleWatcher(inbox.id()).orElseThrow().mode()).isEqualTo("poll");
            assertThat(sink.offered()).hasSize(1);
            assertThat(stored(inbox).mode()).isEqualTo("idle");
        } finally {
            b.close();
        }
    }

    @Test
    void aServerThatStaysAwayMakesTheInboxFallBackToPollingAndItsReturnRestoresIdle() throws Exception {
        Inbox inbox = inbox("support");
        pollers = pollers(leases);
        pollers.pollNow(inbox.id());
        awaitMode(inbox, "idle");
        int port = greenMail.getImap().getPort();

        greenMail.stop();

        await().atMost(Duration.ofSeconds(20)).until(() -> events.at(Event.Level.WARN).size() == 1);
        assertThat(events.at(Event.Level.WARN).get(0).message()).contains("IDLE connection failed 3 times");
        assertThat(stored(inbox).mode()).isEqualTo("poll");
        assertThat(stored(inbox).lastError()).startsWith("The IDLE connection failed 3 times in a row")
                .contains("polling every 300 s");

        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        greenMail.setUser("support@example.com", "support", PASSWORD);
        awaitMode(inbox, "idle");
        assertThat(stored(inbox).lastError()).isNull();
        assertThat(events.at(Event.Level.INFO)).anySatisfy(e -> assertThat(e.message()).contains("at once again"));

        client(inbox).append(ImapTestClient.email("a@example.org", "Back", "x"));
        await().atMost(AT_ONCE).until(() -> taken("Back") == 1); // with the default renewal (1500 s)
        // No second delivery of the same mail: the count holds for a second (the bound is slack for a busy machine).
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> taken("Back") == 1);
    }

    @Test
    void theBackoffDoublesFromOneSecondToAMinute() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(IdleWatcher::backoff)
                .map(Duration::toSeconds)).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }
}
