package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.Callers;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.dooneflow.testing.RecordingEventLog;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/** The REST resource: roles, tenant scoping, write-only password, and "test connection" in words (GreenMail). */
class EmailInboxResourceTest {

    static TestCertificates certificates;

    GreenMail greenMail;
    EmailPollers pollers;
    EmailInboxResource resource;
    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();

    /** alice owns org-a and is a member of org-b; bob owns org-b. */
    static InMemoryOrganizationService organizations() {
        return new InMemoryOrganizationService().grant("alice", "org-a", Role.OWNER)
                .grant("alice", "org-b", Role.MEMBER).grant("bob", "org-b", Role.OWNER);
    }

    @BeforeAll
    static void certificate() throws Exception {
        certificates = TestCertificates.shared();
    }

    @BeforeEach
    void start() throws Exception {
        greenMail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});
        greenMail.start();
        greenMail.setUser("support@example.com", "support", "secret");
        EmailPollers.Settings s = new EmailPollers.Settings(1_000_000, certificates.trustingSocketFactory(),
                new OutboundGuard("127.0.0.1/32,::1/128"), 3600, 3_600_000, EmailPollersTest.NO_IDLE,
                java.time.Duration.ofSeconds(1500));
        pollers = new EmailPollers(new DefaultCamelContext(), new InboxStore(settings), new EmailTrigger(),
                new InMemoryLeaseService(Clock.systemUTC(), "n"), new InMemoryDedupeStore(), new RecordingEventLog(), s, Clock.systemUTC(), TestOutboundHttp.loopback());
        resource = new EmailInboxResource(organizations(), pollers, s);
    }

    @AfterEach
    void stop() {
        pollers.close();
        greenMail.stop();
    }

    Map<String, Object> body(String security, int port, String password) {
        return new HashMap<>(Map.of("emailAddress", "support@example.com", "host", "localhost", "port", port,
                "security", security, "username", "support", "password", password));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> create(String user, String org, Map<String, Object> body) {
        Response r = resource.create(Callers.as(user), org, body);
        assertThat(r.getStatus()).isEqualTo(201);
        return (Map<String, Object>) r.getEntity();
    }

    @Test
    void createdInboxesShowPasswordSetButNeverThePassword() {
        Map<String, Object> created = create("alice", "org-a", body("none", greenMail.getImap().getPort(), "secret"));

        assertThat(created).containsEntry("passwordSet", true).containsEntry("pollIntervalSeconds", 60)
                .containsEntry("active", true).containsEntry("lastError", null).doesNotContainKey("password")
                .containsEntry("idle", true).containsEntry("mode", "poll").containsEntry("lastEventAt", null);
        assertThat(created.toString()).doesNotContain("secret");
        assertThat(resource.list(Callers.as("alice"), "org-a").get("items")).asList().hasSize(1);
        assertThat(settings.vault().all()).containsValue("secret");
    }

    @Test
    void membersReadButOnlyOwnersAndAdminsManage() {
        Map<String, Object> inbox = create("bob", "org-b", body("none", greenMail.getImap().getPort(), "secret"));
        String id = (String) inbox.get("id");

        assertThat(resource.get(Callers.as("alice"), "org-b", id)).containsEntry("id", id);
        assertThatThrownBy(() -> resource.create(Callers.as("alice"), "org-b", body("none", 143, "x")))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.update(Callers.as("alice"), "org-b", id, Map.of("active", false)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.delete(Callers.as("alice"), "org-b", id)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.test(Callers.as("alice"), "org-b", id)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void anotherOrganizationsInboxIsNotFound() {
        String id = (String) create("bob", "org-b", body("none", greenMail.getImap().getPort(), "secret")).get("id");

        assertThatThrownBy(() -> resource.get(Callers.as("alice"), "org-a", id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.update(Callers.as("alice"), "org-a", id, Map.of("active", false)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.delete(Callers.as("alice"), "org-a", id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.test(Callers.as("alice"), "org-a", id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.list(Callers.as("bob"), "org-a")).isInstanceOf(NotFoundException.class);
        assertThat(resource.get(Callers.as("bob"), "org-b", id)).containsEntry("active", true);
    }

    @Test
    void aTooShortPollIntervalIsRejectedAndNothingIsStored() {
        Map<String, Object> body = body("none", 143, "secret");
        body.put("pollIntervalSeconds", 10);

        assertThatThrownBy(() -> resource.create(Callers.as("alice"), "org-a", body)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("pollIntervalSeconds").hasMessageContaining("at least 30 seconds");
        assertThat(settings.entries()).isEmpty();
    }

    @Test
    void aPatchChangesTheIntervalAndKeepsThePassword() {
        String id = (String) create("alice", "org-a", body("none", greenMail.getImap().getPort(), "secret")).get("id");

        Map<String, Object> updated = resource.update(Callers.as("alice"), "org-a", id, Map.of("pollIntervalSeconds", 300));

        assertThat(updated).containsEntry("pollIntervalSeconds", 300).containsEntry("passwordSet", true);
        assertThat(resource.update(Callers.as("alice"), "org-a", id, Map.of("idle", false))).containsEntry("idle", false)
                .containsEntry("pollIntervalSeconds", 300);
        assertThatThrownBy(() -> resource.update(Callers.as("alice"), "org-a", id, Map.of("mode", "idle")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("read-only");
        assertThat(resource.test(Callers.as("alice"), "org-a", id)).containsEntry("ok", true);
        assertThatThrownBy(() -> resource.update(Callers.as("alice"), "org-a", id, Map.of("pollIntervalSeconds", 29)))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void testConnectionAnswersInWords() throws Exception {
        int imap = greenMail.getImap().getPort();
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String good = (String) create("alice", "org-a", body("none", imap, "secret")).get("id");
        String overTls = (String) create("bob", "org-b", body("ssl", greenMail.getImaps().getPort(), "secret"))
                .get("id");

        assertThat(resource.test(Callers.as("alice"), "org-a", good)).containsEntry("ok", true)
                .containsEntry("code", "connected");
        assertThat(resource.test(Callers.as("bob"), "org-b", overTls)).containsEntry("ok", true);

        resource.update(Callers.as("alice"), "org-a", good, Map.of("password", "wrong"));
        assertThat(resource.test(Callers.as("alice"), "org-a", good)).containsEntry("ok", false)
                .containsEntry("code", "authentication_failed")
                .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("Authentication failed"));

        resource.update(Callers.as("alice"), "org-a", good, Map.of("port", closed));
        assertThat(resource.test(Callers.as("alice"), "org-a", good)).containsEntry("code", "host_unreachable")
                .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("Host unreachable"));

        // ssl against a plain-text IMAP port: the TLS handshake cannot succeed
        resource.update(Callers.as("alice"), "org-a", good, Map.of("port", imap, "security", "ssl"));
        assertThat(resource.test(Callers.as("alice"), "org-a", good)).containsEntry("code", "tls_problem")
                .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("TLS problem"));
    }

    @Test
    void aHostResolvingToAPrivateAddressIsRefusedUnlessAllowed() {
        EmailPollers.Settings strict = new EmailPollers.Settings(1_000_000, null, new OutboundGuard(""), 3600, 1,
                EmailPollersTest.NO_IDLE, java.time.Duration.ofSeconds(1500));
        EmailInboxResource guarded = new EmailInboxResource(organizations(), pollers, strict);
        String id = (String) create("alice", "org-a", body("none", greenMail.getImap().getPort(), "secret")).get("id");

        assertThat(guarded.test(Callers.as("alice"), "org-a", id)).containsEntry("code", "host_not_allowed")
                .hasEntrySatisfying("message", m -> assertThat((String) m).startsWith("Host not allowed: localhost "
                        + "resolves to ").contains(", which is a private address"));
    }

    @Test
    void aHostThatIsNotACanonicalIpv4AddressIsRefusedEvenWhenItsAddressIsAllowed() {
        // Java reads 2130706433 as 127.0.0.1, which the allow-list allows; other programs may read it otherwise.
        Map<String, Object> body = body("none", greenMail.getImap().getPort(), "secret");
        body.put("host", "2130706433");
        String id = (String) create("alice", "org-a", body).get("id");

        assertThat(resource.test(Callers.as("alice"), "org-a", id)).containsEntry("code", "host_not_allowed")
                .hasEntrySatisfying("message", m -> assertThat((String) m)
                        .startsWith("Host not allowed: '2130706433' looks like an IPv4 address but is not written"));
    }
}
