package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The server's certificate must name the host the inbox was given, as a DNS name or, for a host given as an IP
 * address, as that address; a certificate for another name is refused with a TLS problem, over a real handshake.
 */
class ServerIdentityTest {

    static final String PASSWORD = "secret-1";
    static final OutboundGuard LOOPBACK = new OutboundGuard("127.0.0.1/32,::1/128");

    static TestCertificates certificates;

    InboxStore inboxes = new InboxStore(new InMemoryConnectorSettings());
    GreenMail greenMail;
    SSLServerSocket otherServer;

    @BeforeAll
    static void certificate() throws Exception {
        certificates = TestCertificates.shared(); // names localhost and 127.0.0.1
    }

    @AfterEach
    void stop() throws Exception {
        if (greenMail != null) {
            greenMail.stop();
        }
        if (otherServer != null) {
            otherServer.close();
        }
    }

    Inbox inbox(String host, int port) {
        return inboxes.create("org", new HashMap<>(Map.of("emailAddress", "support@example.com", "host", host,
                "port", port, "security", "ssl", "username", "support", "password", PASSWORD)));
    }

    @Test
    void aServerGivenByItsIpAddressIsAcceptedWhenItsCertificateListsThatAddress() throws Exception {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS));
        greenMail.start();
        greenMail.setUser("support@example.com", "support", PASSWORD);

        Map<String, Object> result = ConnectionTester.test(inbox("127.0.0.1", greenMail.getImaps().getPort()),
                () -> PASSWORD, certificates.trustingSocketFactory(), LOOPBACK);

        assertThat(result).containsEntry("ok", true).containsEntry("code", "connected");
    }

    @Test
    void aTrustedCertificateForAnotherNameIsRefusedForAHostNameAndForAnAddress(@TempDir Path dir) throws Exception {
        TestCertificates other = TestCertificates.create(dir, "mail.other.example", "DNS:mail.other.example,IP:10.9.9.9");
        otherServer = tlsServer(other);
        SSLSocketFactory trustingOther = trusting(other);

        for (String host : List.of("localhost", "127.0.0.1")) {
            Map<String, Object> result = ConnectionTester.test(inbox(host, otherServer.getLocalPort()), () -> PASSWORD,
                    trustingOther, LOOPBACK);

            assertThat(result).containsEntry("ok", false).containsEntry("code", "tls_problem");
            assertThat((String) result.get("message"))
                    .startsWith("TLS problem: the certificate of " + host + ":" + otherServer.getLocalPort()
                            + " does not name " + host);
        }
    }

    /** A TLS server with {@code certificate} that completes handshakes and greets like IMAP. */
    static SSLServerSocket tlsServer(TestCertificates certificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate.keystore)) {
            keys.load(in, TestCertificates.KEYSTORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestCertificates.KEYSTORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket client = (SSLSocket) server.accept()) {
                    client.startHandshake();
                    client.getOutputStream().write("* OK IMAP4rev1 ready\r\n".getBytes());
                    client.getOutputStream().flush();
                } catch (Exception e) {
                    // a refused handshake ends this connection; the next one is accepted
                }
            }
        }, "other-tls-server");
        accept.setDaemon(true);
        accept.start();
        return server;
    }

    static SSLSocketFactory trusting(TestCertificates certificate) throws Exception {
        try (InputStream in = Files.newInputStream(certificate.certPem)) {
            return TlsTrust.socketFactory(List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in)));
        }
    }
}
