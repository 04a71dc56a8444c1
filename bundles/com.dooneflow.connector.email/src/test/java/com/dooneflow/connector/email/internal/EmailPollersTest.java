package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;

import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.Event;
import com.dooneflow.api.LeaseService;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.RecordingTriggerSink;
import com.icegreen.greenmail.util.GreenMail;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.icegreen.greenmail.util.ServerSetup;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/**
 * The pollers end to end against GreenMail (a real IMAP/IMAPS server in the JVM), through Camel and javax.mail,
 * with in-memory core services. Polls are started with "poll now" (the 30 s minimum interval stays).
 */
class EmailPollersTest {

    static final String ORG = "org-1";
    static final String PASSWORD = "secret-1";
    /** These tests are about the poll alone: no IDLE connection (emailMaxIdleConnections 0); see EmailIdleTest. */
    static final int NO_IDLE = 0;

    static TestCertificates certificates;
    static SSLSocketFactory tls;

    GreenMail greenMail;
    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    InMemoryDedupeStore dedupe = new InMemoryDedupeStore();
    InMemoryLeaseService leases = new InMemoryLeaseService(Clock.systemUTC(), "node-a");
    RecordingEventLog events = new RecordingEventLog();
    RecordingTriggerSink sink = new RecordingTriggerSink();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    EmailTrigger trigger = new EmailTrigger();
    InboxStore inboxes = new InboxStore(settings);
    EmailPollers pollers;
    long maxMessageBytes = 10L * 1024 * 1024;
    long initialDelayMillis = 3_600_000; // polls only when the test asks, unless a test wants the scheduler

    @BeforeAll
    static void certificate() throws Exception {
        certificates = TestCertificates.shared();
        tls = certificates.trustingSocketFactory();
    }

    @BeforeEach
    void start() {
        greenMail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});
        greenMail.start();
        greenMail.setUser("support@example.com", "support", PASSWORD);
        trigger.open(sink);
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void stop() {
        if (pollers != null) {
            pollers.close();
        }
        Metrics.removeRegistry(meters);
        greenMail.stop();
    }

    EmailPollers pollers(InMemoryLeaseService leaseService) throws Exception {
        return pollers(leaseService, true);
    }

    EmailPollers pollers(InMemoryLeaseService leaseService, boolean pollerRole) throws Exception {
        return new EmailPollers(new DefaultCamelContext(), inboxes, trigger, leaseService, dedupe, events, settings(),
                Clock.systemUTC(), pollerRole, TestOutboundHttp.loopback());
    }

    EmailPollers.Settings settings() {
        return new EmailPollers.Settings(maxMessageBytes, tls, new OutboundGuard("127.0.0.1/32,::1/128"), 3600,
                initialDelayMillis, NO_IDLE, Duration.ofSeconds(1500));
    }

    Inbox createInbox(String security, int port, String password) {
        Map<String, Object> body = new HashMap<>(Map.of("emailAddress", "support@example.com", "host", "localhost",
                "port", port, "security", security, "username", "support", "password", password));
        return inboxes.create(ORG, body);
    }

    Inbox imapInbox() {
        return createInbox("none", greenMail.getImap().getPort(), PASSWORD);
    }

    ImapTestClient client(Inbox inbox) {
        return new ImapTestClient(inbox, PASSWORD, tls);
    }

    void watch(String workflowId, Inbox inbox, Map<String, Object> more) {
        Map<String, Object> params = new HashMap<>(more);
        params.put("inboxId", inbox.id());
        sink.watch(ORG, workflowId, params);
    }

    /** The inbox's polls that ended in {@code outcome}, as {@code dooneflow_imap_polls_total} counts them. */
    double polls(Inbox inbox, String outcome) {
        return meters.get("dooneflow.imap.polls").tags("organization", ORG, "inbox", inbox.id(), "outcome", outcome)
                .counter().count();
    }

    InboxPoller.Result poll(Inbox inbox) {
        return pollers.pollNow(inbox.id()).orElseThrow();
    }

    @Test
    void aNodeWithoutThePollerRoleRunsNoRouteAndLeavesTheInboxToThePollerNodes() throws Exception {
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        client(inbox).append(ParsingSamples.ALTERNATIVE);
        pollers = pollers(leases, false);

        pollers.reconcile();

        assertThat(pollers.runningInboxIds()).isEmpty();
        assertThat(pollers.pollNow(inbox.id())).isEmpty();
        assertThat(sink.accepted()).isEmpty();
        assertThat(client(inbox).unread()).as("left for a poller node").isEqualTo(1);
        LeaseService otherNode = leases.forNode("node-b");
        assertThat(otherNode.tryAcquire("email-inbox/" + inbox.id(), "node-b", Duration.ofMinutes(1)))
                .as("it took no lease on the inbox").isPresent();

        pollers.close();
        pollers = pollers(leases, true);
        pollers.reconcile();
        assertThat(pollers.runningInboxIds()).as("a poller node runs the route").containsExactly(inbox.id());
    }

    @Test
    void noCamelContextRunsUntilThereIsAnInboxToPoll() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        pollers = new EmailPollers(camel, inboxes, trigger, leases, dedupe, events, settings(), Clock.systemUTC(),
                TestOutboundHttp.loopback());

        pollers.reconcile();
        assertThat(camel.isStarted()).as("no inbox").isFalse();
        assertThat(pollers.camel()).isNull();
        assertThat(pollers.pollNow("no-such-inbox")).isEmpty();

        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        client(inbox).append(ParsingSamples.ALTERNATIVE);
        pollers.reconcile();
        assertThat(camel.isStarted()).isTrue();
        assertThat(poll(inbox).processed()).isEqualTo(1);

        pollers.close();
        pollers = null;
        assertThat(camel.isStopped()).as("stopped with the pollers").isTrue();
    }

    @Test
    void aNewEmailRunsTheWorkflowWithItsFieldsAndIsThenMarkedRead() throws Exception {
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);
        client(inbox).append(ParsingSamples.ALTERNATIVE);

        InboxPoller.Result result = poll(inbox);

        assertThat(result.status()).isEqualTo("polled");
        assertThat(result.processed()).isEqualTo(1);
        assertThat(sink.accepted()).hasSize(1);
        var event = sink.accepted().get(0);
        assertThat(event.type()).isEqualTo("email.imap");
        assertThat(event.workflowIds()).containsExactly("wf-1");
        assertThat(event.dedupeKey()).startsWith(inbox.id() + "/").matches(".*/\\d+/\\d+");
        assertThat(event.data()).containsEntry("email_subject", "Grüße aus Köln – Anfrage")
                .containsEntry("email_from", "jose@example.org").containsEntry("contact_email", "jose@example.org")
                .containsEntry("contact_name", "José Müller").containsEntry("email_to", "support@example.com");
        assertThat((String) event.data().get("email_body")).contains("Grüße, die Straße");
        assertThat((String) event.data().get("email_body_html")).contains("<b>Grüße</b>");
        // The trigger declares exactly the variables an email gives (the engine adds none: no phone field).
        assertThat(event.data().keySet()).containsExactlyInAnyOrderElementsOf(TypeFiles.read(EmailTrigger.class, EmailTrigger.TYPE)
                .outputs().stream().map(com.dooneflow.api.spi.OutputDescriptor::name).toList());
        assertThat(client(inbox).unread()).isZero();
        Inbox after = inboxes.require(ORG, inbox.id());
        assertThat(after.lastPolledAt()).isNotNull();
        assertThat(after.lastError()).isNull();
        assertThat(after.messagesProcessed()).isEqualTo(1);
    }

    @Test
    void imapsChecksTheServerCertificateAndWorks() throws Exception {
        Inbox inbox = createInbox("ssl", greenMail.getImaps().getPort(), PASSWORD);
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);
        client(inbox).append(ImapTestClient.email("Ann <ann@example.org>", "Over TLS", "hello"));

        assertThat(poll(inbox).processed()).isEqualTo(1);

        assertThat(sink.accepted().get(0).data()).containsEntry("email_subject", "Over TLS")
                .containsEntry("contact_name", "Ann");
    }

    @Test
    void theScheduledPollRunsByItself() throws Exception {
        initialDelayMillis = 0;
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        client(inbox).append(ImapTestClient.email("a@example.org", "Scheduled", "x"));

        pollers = pollers(leases);

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.accepted().size() == 1);
    }

    /**
     * camel-mail asks the authenticator once while it creates a route, for the user name only (no password then);
     * a poll that starts at once (initial delay 0) must still sign in with the password.
     */
    @Test
    void aPollArmsItsRoutesAuthenticatorBeforeSigningIn() throws Exception {
        Inbox inbox = imapInbox();
        InboxAuthenticator authenticator = new InboxAuthenticator(inbox.username(), () -> PASSWORD);
        assertThat(authenticator.getPasswordAuthentication().getPassword()).isEmpty();
        DefaultCamelContext camel = new DefaultCamelContext();
        MailConfiguration config = new MailConfiguration(camel);
        config.setAuthenticator(authenticator);
        InboxMailEndpoint endpoint = new InboxMailEndpoint("dooneflow-imap://" + inbox.id(), new MailComponent(camel),
                config);
        InboxPoller poller = new InboxPoller(inbox, new InboxPoller.Services(inboxes, trigger, leases, events,
                new EmailIntake(dedupe, events, maxMessageBytes), () -> new OutboundGuard("127.0.0.1/32,::1/128"),
                Clock.systemUTC()), null);

        poller.begin(null, endpoint);

        assertThat(authenticator.getPasswordAuthentication().getPassword()).isEqualTo(PASSWORD);
    }

    @Test
    void subjectAndFromFiltersChooseTheWorkflowsAndUnmatchedEmailsStayUnread() throws Exception {
        Inbox inbox = imapInbox();
        watch("invoices", inbox, Map.of("subjectFilter", "INVOICE"));
        watch("acme", inbox, Map.of("fromFilter", "ACME"));
        watch("other-inbox", createInbox("none", greenMail.getImap().getPort(), PASSWORD, "other"),
                Map.of());
        pollers = pollers(leases);
        ImapTestClient client = client(inbox);
        client.append(ImapTestClient.email("Bob <bob@acme.com>", "Your invoice 42", "a"));
        client.append(ImapTestClient.email("carol@example.org", "Invoice 43", "b"));
        client.append(ImapTestClient.email("\"ACME Support\" <help@example.net>", "Hello", "c"));
        client.append(ImapTestClient.email("dave@example.org", "Lunch?", "d"));

        poll(inbox);

        Map<String, List<String>> bySubject = new HashMap<>();
        sink.accepted().forEach(e -> bySubject.put((String) e.data().get("email_subject"), e.workflowIds()));
        assertThat(bySubject).containsOnly(
                Map.entry("Your invoice 42", List.of("invoices", "acme")),
                Map.entry("Invoice 43", List.of("invoices")),
                Map.entry("Hello", List.of("acme")));
        assertThat(client.unread()).isEqualTo(1); // "Lunch?" matched nothing and is left alone
    }

    Inbox createInbox(String security, int port, String password, String username) {
        Map<String, Object> body = new HashMap<>(Map.of("emailAddress", username + "@example.com", "host",
                "127.0.0.1", "port", port, "security", security, "username", username, "password", password));
        return inboxes.create(ORG, body);
    }

    @Test
    void markAsReadFalseLeavesTheEmailUnreadAndItIsNeverProcessedTwice() throws Exception {
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of("markAsRead", false));
        pollers = pollers(leases);
        client(inbox).append(ImapTestClient.email("a@example.org", "Keep me unread", "x"));

        poll(inbox);
        poll(inbox);

        assertThat(sink.accepted()).hasSize(1);
        assertThat(client(inbox).unread()).isEqualTo(1);
        assertThat(inboxes.require(ORG, inbox.id()).messagesProcessed()).isEqualTo(1);
    }

    @Test
    void aRestartBetweenStoringAndMarkingReadCreatesNothingNewAndTheSameMessageIdIsSkipped() throws Exception {
        Inbox inbox = imapInbox();
        // First life: the email is committed but (as after a crash before the commit to the mailbox) stays unread.
        sink.watch(ORG, "wf-1", Map.of("inboxId", inbox.id(), "markAsRead", false));
        pollers = pollers(leases);
        String raw = ImapTestClient.email("a@example.org", "Once only", "x");
        client(inbox).append(raw);
        poll(inbox);
        assertThat(sink.accepted()).hasSize(1);
        pollers.close();

        // Second life, same database: the email is seen again, handed over again, and nothing new is created.
        sink.bindingList().clear();
        watch("wf-1", inbox, Map.of("markAsRead", true));
        pollers = pollers(leases);
        poll(inbox);
        assertThat(sink.accepted()).hasSize(1);
        assertThat(client(inbox).unread()).isZero();

        // The same email delivered again (new UID, same Message-ID) is not processed either.
        client(inbox).append(raw);
        poll(inbox);
        assertThat(sink.accepted()).hasSize(1);
        assertThat(client(inbox).unread()).isZero();
    }

    @Test
    void badCredentialsShowAsLastErrorAndOnEventsOnceThenRecoveryClearsThem() throws Exception {
        Inbox inbox = createInbox("none", greenMail.getImap().getPort(), "wrong-password");
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);

        InboxPoller.Result failed = poll(inbox);
        poll(inbox);

        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.error()).startsWith("Authentication failed");
        assertThat(inboxes.require(ORG, inbox.id()).lastError()).startsWith("Authentication failed");
        assertThat(inboxes.require(ORG, inbox.id()).lastPolledAt()).isNotNull();
        assertThat(events.at(Event.Level.ERROR)).hasSize(1);
        assertThat(events.at(Event.Level.ERROR).get(0).message()).contains("Authentication failed");

        inboxes.update(ORG, inbox.id(), Map.of("password", PASSWORD));
        client(inbox).append(ImapTestClient.email("a@example.org", "After the fix", "x"));
        InboxPoller.Result recovered = poll(inbox);

        assertThat(recovered.status()).isEqualTo("polled");
        assertThat(recovered.processed()).isEqualTo(1);
        assertThat(inboxes.require(ORG, inbox.id()).lastError()).isNull();
        assertThat(polls(inbox, "failed")).isEqualTo(2.0);
        assertThat(polls(inbox, "ok")).isEqualTo(1.0);
        assertThat(events.at(Event.Level.INFO)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("polled again"));
    }

    @Test
    void anUnreachableHostIsReportedInWords() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Inbox inbox = createInbox("none", closedPort, PASSWORD);
        pollers = pollers(leases);

        assertThat(poll(inbox).error()).startsWith("Host unreachable");
    }

    @Test
    void editingTheIntervalOrDeactivatingTakesEffectWithoutRestart() throws Exception {
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);
        pollers.reconcile();
        assertThat(delayOf(inbox)).isEqualTo(60_000);

        inboxes.update(ORG, inbox.id(), Map.of("pollIntervalSeconds", 120));
        pollers.changed();
        await().atMost(Duration.ofSeconds(10)).until(() -> delayOf(inbox) == 120_000);

        inboxes.update(ORG, inbox.id(), Map.of("active", false));
        pollers.changed();
        await().atMost(Duration.ofSeconds(10)).until(() -> !pollers.runningInboxIds().contains(inbox.id()));
        client(inbox).append(ImapTestClient.email("a@example.org", "Nobody listens", "x"));
        assertThat(pollers.pollNow(inbox.id())).isEmpty();
        assertThat(sink.accepted()).isEmpty();

        inboxes.update(ORG, inbox.id(), Map.of("active", true));
        assertThat(poll(inbox).processed()).isEqualTo(1);

        inboxes.delete(ORG, inbox.id());
        pollers.reconcile();
        assertThat(pollers.runningInboxIds()).isEmpty();
        assertThat(leases.held()).isEmpty(); // the lease is given back for another node
    }

    private long delayOf(Inbox inbox) {
        var route = pollersCamelRoute(inbox);
        return route == null ? -1 : ((ScheduledPollEndpoint) route.getEndpoint()).getDelay();
    }

    private org.apache.camel.Route pollersCamelRoute(Inbox inbox) {
        return pollers.camel().getRoute(EmailPollers.routeId(inbox.id()));
    }

    @Test
    void onlyTheNodeHoldingTheLeasePollsAndAnotherTakesOverWhenItStops() throws Exception {
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);
        EmailPollers nodeB = pollers(leases.forNode("node-b"));
        try {
            assertThat(poll(inbox).status()).isEqualTo("polled");
            client(inbox).append(ImapTestClient.email("a@example.org", "Which node?", "x"));

            assertThat(nodeB.pollNow(inbox.id()).orElseThrow().status()).contains("another DooneFlow node");
            assertThat(sink.accepted()).isEmpty();
            assertThat(pollers.polledHere()).containsExactly(inbox.id());
            assertThat(nodeB.polledHere()).as("a route that stands by").isEmpty();
            assertThat(InboxListCommand.polledHere(inbox.id(), nodeB.routeIntervals(), nodeB.polledHere()))
                    .isEqualTo("no (standing by, every " + inbox.pollIntervalSeconds() + " s)");

            pollers.close();
            pollers = null;
            assertThat(nodeB.pollNow(inbox.id()).orElseThrow().processed()).isEqualTo(1);
            assertThat(nodeB.polledHere()).as("took the lease at its poll").containsExactly(inbox.id());
            assertThat(InboxListCommand.polledHere(inbox.id(), nodeB.routeIntervals(), nodeB.polledHere()))
                    .isEqualTo("yes, every " + inbox.pollIntervalSeconds() + " s");
            assertThat(InboxListCommand.polledHere("another", nodeB.routeIntervals(), nodeB.polledHere()))
                    .isEqualTo("no (no route here)");
        } finally {
            nodeB.close();
        }
    }

    @Test
    void hugeAndMalformedEmailsAreReportedOnceAndDoNotBlockTheInbox() throws Exception {
        maxMessageBytes = 20_000;
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);
        ImapTestClient client = client(inbox);
        client.append(ImapTestClient.email("a@example.org", "Huge", "x".repeat(60_000)));
        client.append(ParsingSamples.BROKEN_MULTIPART);
        client.append(ImapTestClient.email("a@example.org", "Fine", "x"));

        poll(inbox);
        poll(inbox);

        assertThat(sink.accepted()).singleElement()
                .satisfies(e -> assertThat(e.data()).containsEntry("email_subject", "Fine"));
        List<Event> warnings = events.at(Event.Level.WARN);
        assertThat(warnings).hasSize(2);
        assertThat(warnings).anySatisfy(e -> assertThat(e.message()).contains("over the limit of 20000 bytes"));
        assertThat(warnings).anySatisfy(e -> assertThat(e.message()).contains("cannot be read"));
        assertThat(inboxes.require(ORG, inbox.id()).lastError()).isNull();
    }

    @Test
    void whenTheEngineCannotStoreTheEmailItStaysUnreadAndIsTakenAtTheNextPoll() throws Exception {
        Inbox inbox = imapInbox();
        watch("wf-1", inbox, Map.of());
        pollers = pollers(leases);
        client(inbox).append(ImapTestClient.email("a@example.org", "Database away", "x"));
        sink.failWith(new IllegalStateException("database unavailable"));

        InboxPoller.Result failed = poll(inbox);

        assertThat(failed.error()).contains("could not be stored");
        assertThat(client(inbox).unread()).isEqualTo(1);
        sink.failWith(null);
        assertThat(poll(inbox).processed()).isEqualTo(1);
        assertThat(client(inbox).unread()).isZero();
    }

    @Test
    void aWorkflowNamingAnotherOrganizationsInboxNeverReceivesItsEmailsAndIsReported() throws Exception {
        Inbox inbox = imapInbox();
        sink.watch("org-2", "foreign", Map.of("inboxId", inbox.id()));
        pollers = pollers(leases);
        client(inbox).append(ImapTestClient.email("a@example.org", "Not yours", "x"));

        poll(inbox);
        pollers.reportUnknownInboxes();
        pollers.reportUnknownInboxes();

        assertThat(sink.accepted()).isEmpty();
        assertThat(events.at(Event.Level.WARN)).singleElement().satisfies(e -> {
            assertThat(e.organizationId()).isEqualTo("org-2");
            assertThat(e.message()).contains("foreign").contains("does not have");
        });
    }
}
