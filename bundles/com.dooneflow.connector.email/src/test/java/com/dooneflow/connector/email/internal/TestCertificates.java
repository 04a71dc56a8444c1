package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

/**
 * A throw-away self-signed certificate for {@code localhost} / {@code 127.0.0.1} made with openssl: PEM files for
 * Dovecot, a PKCS#12 keystore for GreenMail, and a socket factory that trusts it (and nothing else special), so
 * the tests run with the server's identity checked as in production.
 */
final class TestCertificates {

    static final String KEYSTORE_PASSWORD = "changeit";
    final Path dir;
    final Path certPem;
    final Path keyPem;
    final Path keystore;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.certPem = dir.resolve("cert.pem");
        this.keyPem = dir.resolve("key.pem");
        this.keystore = dir.resolve("server.p12");
    }

    private static TestCertificates shared;

    /**
     * The one certificate of this test JVM: GreenMail loads its keystore once per JVM, so every test class must
     * trust the same certificate. Also set up for GreenMail.
     */
    static synchronized TestCertificates shared() throws IOException, InterruptedException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("dooneflow-email-tls");
            dir.toFile().deleteOnExit();
            shared = create(dir);
            for (Path p : List.of(shared.certPem, shared.keyPem, shared.keystore, dir.resolve("openssl.log"))) {
                p.toFile().deleteOnExit();
            }
            shared.useForGreenMail();
        }
        return shared;
    }

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        return create(dir, "localhost", "DNS:localhost,IP:127.0.0.1");
    }

    /** A certificate for {@code commonName} naming {@code subjectAltNames}, e.g. {@code "DNS:a.example,IP:10.0.0.1"}. */
    static TestCertificates create(Path dir, String commonName, String subjectAltNames)
            throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(dir);
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + commonName,
                "-addext", "subjectAltName=" + subjectAltNames, "-keyout", c.keyPem.toString(),
                "-out", c.certPem.toString());
        run(dir, "openssl", "pkcs12", "-export", "-in", c.certPem.toString(), "-inkey", c.keyPem.toString(),
                "-name", "greenmail", "-out", c.keystore.toString(), "-passout", "pass:" + KEYSTORE_PASSWORD);
        return c;
    }

    /** GreenMail reads its TLS keystore from these system properties (once, at its first TLS server). */
    void useForGreenMail() {
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", KEYSTORE_PASSWORD);
        System.setProperty("greenmail.tls.key.password", KEYSTORE_PASSWORD);
    }

    SSLSocketFactory trustingSocketFactory() throws Exception {
        try (InputStream in = Files.newInputStream(certPem)) {
            List<Certificate> certs = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            return TlsTrust.socketFactory(certs);
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
