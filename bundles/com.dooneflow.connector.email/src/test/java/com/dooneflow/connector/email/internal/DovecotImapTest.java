package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.RecordingTriggerSink;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/**
 * The pollers against a real Dovecot over IMAPS (TLS from the first byte) and IMAP with STARTTLS, the server's
 * certificate checked. A machine without Dovecot fails it rather than skip it.
 */
class DovecotImapTest {

    static DovecotRig dovecot;
    static TestCertificates certificates;

    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    RecordingTriggerSink sink = new RecordingTriggerSink();
    InboxStore inboxes = new InboxStore(settings);
    EmailTrigger trigger = new EmailTrigger();
    EmailPollers pollers;

    @BeforeAll
    static void startDovecot() throws Exception {
        assertThat(DovecotRig.installed()).as("Dovecot must be installed: apt-get install dovecot-imapd").isTrue();
        certificates = TestCertificates.shared();
        dovecot = DovecotRig.start(certificates);
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        trigger.open(sink);
        pollers = new EmailPollers(new DefaultCamelContext(), inboxes, trigger,
                new InMemoryLeaseService(Clock.systemUTC(), "n"), new InMemoryDedupeStore(), new RecordingEventLog(),
                new EmailPollers.Settings(1_000_000, certificates.trustingSocketFactory(),
                        new OutboundGuard("127.0.0.1/32,::1/128"), 3600, 3_600_000, EmailPollersTest.NO_IDLE,
                        java.time.Duration.ofSeconds(1500)), Clock.systemUTC(), TestOutboundHttp.loopback());
    }

    @AfterEach
    void stop() {
        pollers.close();
    }

    Inbox inbox(String security, int port, String password) {
        return inboxes.create("org", new HashMap<>(Map.of("emailAddress", "support@example.com", "host", "localhost",
                "port", port, "security", security, "username", DovecotRig.USER, "password", password)));
    }

    void receivesAndMarksRead(Inbox inbox, String subject) throws Exception {
        sink.watch("org", "wf", Map.of("inboxId", inbox.id()));
        ImapTestClient client = new ImapTestClient(inbox, DovecotRig.PASSWORD, certificates.trustingSocketFactory());
        client.append(ImapTestClient.email("Dora Dovecot <dora@example.org>", subject, "Hello from Dovecot"));

        InboxPoller.Result result = pollers.pollNow(inbox.id()).orElseThrow();

        assertThat(result.error()).as(dovecot.log()).isNull();
        assertThat(sink.accepted()).anySatisfy(e -> assertThat(e.data()).containsEntry("email_subject", subject)
                .containsEntry("contact_name", "Dora Dovecot").containsEntry("email_body", "Hello from Dovecot\r\n"));
        assertThat(client.unread()).isZero();
    }

    @Test
    void imapsWithTlsFromTheFirstByte() throws Exception {
        receivesAndMarksRead(inbox("ssl", dovecot.imapsPort, DovecotRig.PASSWORD), "Over IMAPS");
    }

    @Test
    void imapUpgradedWithStarttls() throws Exception {
        receivesAndMarksRead(inbox("starttls", dovecot.imapPort, DovecotRig.PASSWORD), "Over STARTTLS");
    }

    @Test
    void aWrongPasswordIsReportedAsAuthenticationFailure() throws Exception {
        Inbox inbox = inbox("starttls", dovecot.imapPort, "wrong");

        assertThat(ConnectionTester.test(inbox, () -> "wrong", certificates.trustingSocketFactory(), new OutboundGuard("127.0.0.1/32,::1/128")))
                .containsEntry("code", "authentication_failed");
        assertThat(pollers.pollNow(inbox.id()).orElseThrow().error()).startsWith("Authentication failed");
    }
}
