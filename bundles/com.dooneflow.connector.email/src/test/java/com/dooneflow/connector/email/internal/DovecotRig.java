package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Dovecot (Debian {@code dovecot-imapd}) on loopback from a private configuration in a temporary directory:
 * IMAP with STARTTLS and IMAPS, one user with a plain-text password, maildir storage. Needs root (Dovecot drops to
 * its own users) and starts in a fraction of a second.
 */
final class DovecotRig implements AutoCloseable {

    static final String USER = "support";
    static final String PASSWORD = "dovecot-secret";

    final Path dir;
    final Path config;
    final int imapPort;
    final int imapsPort;

    private DovecotRig(Path dir, int imapPort, int imapsPort) {
        this.dir = dir;
        this.config = dir.resolve("dovecot.conf");
        this.imapPort = imapPort;
        this.imapsPort = imapsPort;
    }

    /** True when this machine has Dovecot (the test must not be skipped in CI either way). */
    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/dovecot")) && Files.isExecutable(Path.of("/usr/bin/doveadm"));
    }

    static DovecotRig start(TestCertificates tls) throws Exception {
        return start(tls, "");
    }

    /** With more configuration lines, e.g. an {@code imap_capability} without IDLE. */
    static DovecotRig start(TestCertificates tls, String extraConfig) throws Exception {
        Path dir = Files.createTempDirectory("dooneflow-dovecot");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        DovecotRig rig = new DovecotRig(dir, freePort(), freePort());
        rig.write(tls, extraConfig);
        rig.startServer();
        return rig;
    }

    void startServer() throws IOException, InterruptedException {
        run("/usr/sbin/dovecot", "-c", config.toString());
    }

    /**
     * Stops the server as a service manager does, every process of its process group at once, so every connection
     * ends ({@code doveadm stop} ends the master only, and its imap processes keep serving their clients for a while);
     * waits until its ports are closed. The mail stays.
     */
    void stopServer() throws IOException, InterruptedException {
        String master = Files.readString(dir.resolve("run/master.pid")).trim();
        run("/bin/kill", "-TERM", "--", "-" + master);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !accepts(imapPort) && !accepts(imapsPort) && !Files.exists(dir.resolve("run/master.pid")));
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void write(TestCertificates tls, String extraConfig) throws IOException {
        Path home = dir.resolve("home").resolve(USER);
        Files.createDirectories(home);
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal group = users.lookupPrincipalByGroupName("dovecot");
        for (Path p : new Path[] {dir.resolve("home"), home}) {
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            view.setOwner(users.lookupPrincipalByName("dovecot"));
            view.setGroup(group);
        }
        String uid = id("-u");
        String gid = id("-g");
        Files.writeString(dir.resolve("passwd"), USER + ":{PLAIN}" + PASSWORD + ":" + uid + ":" + gid + "::" + home
                + "\n");
        String dh = Files.exists(Path.of("/usr/share/dovecot/dh.pem")) ? "ssl_dh = </usr/share/dovecot/dh.pem\n" : "";
        Files.writeString(config, ""
                + "base_dir = " + dir.resolve("run") + "\n"
                + "state_dir = " + dir.resolve("state") + "\n"
                + "log_path = " + dir.resolve("dovecot.log") + "\n"
                + "listen = 127.0.0.1\n"
                + "protocols = imap\n"
                + "ssl = yes\n"
                + "ssl_cert = <" + tls.certPem + "\n"
                + "ssl_key = <" + tls.keyPem + "\n"
                + dh
                + "disable_plaintext_auth = no\n"
                + "auth_mechanisms = plain login\n"
                + "mail_location = maildir:~/Maildir\n"
                + "mail_uid = dovecot\n"
                + "mail_gid = dovecot\n"
                + "first_valid_uid = 1\n"
                + "passdb {\n  driver = passwd-file\n  args = " + dir.resolve("passwd") + "\n}\n"
                + "userdb {\n  driver = passwd-file\n  args = " + dir.resolve("passwd") + "\n}\n"
                + "service imap-login {\n"
                + "  inet_listener imap {\n    port = " + imapPort + "\n  }\n"
                + "  inet_listener imaps {\n    port = " + imapsPort + "\n    ssl = yes\n  }\n"
                + "}\n"
                + extraConfig);
    }

    private static String id(String flag) throws IOException {
        try {
            Process p = new ProcessBuilder("id", flag, "dovecot").start();
            p.waitFor(10, TimeUnit.SECONDS);
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        Path out = dir.resolve("command.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String log = Files.exists(dir.resolve("dovecot.log")) ? Files.readString(dir.resolve("dovecot.log")) : "";
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(out) + log);
        }
    }

    /** Delivers an email with Dovecot's own delivery agent, as a mail server hands over incoming mail. */
    void deliver(String subject) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/lib/dovecot/dovecot-lda", "-c", config.toString(), "-d", USER, "-f",
                "sender@example.org").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(ImapTestClient.email("sender@example.org", subject, "x").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("dovecot-lda failed: " + output);
        }
    }

    String log() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        try {
            run("/usr/bin/doveadm", "-c", config.toString(), "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
