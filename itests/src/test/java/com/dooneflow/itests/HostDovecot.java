package com.dooneflow.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;

/**
 * A real Dovecot (Debian {@code dovecot-imapd}) on loopback for the tests on the distribution, started in the test
 * JVM from a private configuration in a temporary directory: IMAPS with a self-signed certificate for
 * {@code localhost} (which the distribution trusts through {@code emailTrustedCertificates}), maildir storage, users
 * with passwords, and Dovecot's {@code oauth2} passdb asking {@link HostDovecotOAuth} about XOAUTH2 tokens. Needs
 * root (Dovecot drops to its own user). Stopped, and its directory removed, when the test JVM ends. Only the
 * configuration methods touch this class; the tests inside the distribution drive the server through
 * {@link DovecotCommands} on the same directory.
 */
final class HostDovecot {

    static final String PASSWORD = "it-dovecot-secret";
    /** Watched with IDLE. */
    static final String IDLE_USER = "pushed";
    /** Watched with IDLE through a restart and an outage of the server. */
    static final String OUTAGE_USER = "restarted";
    /** Signs in with OAuth 2.0 (XOAUTH2); its password is never used. */
    static final String OAUTH_USER = "sales";
    /** Watched with IDLE by one node of two, then by the other when the first dies. */
    static final String MOVED_USER = "moved";
    private static final List<String> USERS = List.of(IDLE_USER, OUTAGE_USER, OAUTH_USER, MOVED_USER);

    private static HostDovecot started;

    final Path dir;
    final int imapsPort;

    private HostDovecot(Path dir, int imapsPort) {
        this.dir = dir;
        this.imapsPort = imapsPort;
    }

    Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** Starts the server once per test JVM (a configuration method may run more than once). */
    static synchronized HostDovecot start(String introspectionUrl) throws Exception {
        if (started == null) {
            if (!Files.isExecutable(Path.of("/usr/sbin/dovecot"))) {
                throw new IllegalStateException("Dovecot must be installed: apt-get install dovecot-imapd");
            }
            Path dir = Files.createTempDirectory("dooneflow-it-dovecot");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            HostDovecot dovecot = new HostDovecot(dir, DooneFlowTestSupport.freePort());
            dovecot.write(introspectionUrl, DooneFlowTestSupport.freePort());
            dovecot.commands().start();
            dovecot.stopWhenThisJvmEnds();
            started = dovecot;
        }
        return started;
    }

    DovecotCommands commands() {
        return new DovecotCommands(dir, imapsPort);
    }

    private void write(String introspectionUrl, int imapPort) throws IOException, InterruptedException {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", certificate().toString());
        UserPrincipalLookupService principals = dir.getFileSystem().getUserPrincipalLookupService();
        String uid = id("-u");
        String gid = id("-g");
        StringBuilder passwd = new StringBuilder();
        for (String user : USERS) {
            Path home = dir.resolve("home").resolve(user);
            Files.createDirectories(home);
            for (Path p : new Path[] {home.getParent(), home}) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(principals.lookupPrincipalByName("dovecot"));
                view.setGroup(principals.lookupPrincipalByGroupName("dovecot"));
            }
            passwd.append(user).append(":{PLAIN}").append(PASSWORD).append(':').append(uid).append(':').append(gid)
                    .append("::").append(home).append('\n');
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        Files.writeString(dir.resolve("dovecot-oauth2.conf.ext"), ""
                + "introspection_mode = post\n"
                + "introspection_url = " + introspectionUrl + "\n"
                + "username_attribute = username\n"
                + "active_attribute = active\n"
                + "active_value = true\n");
        String dh = Files.exists(Path.of("/usr/share/dovecot/dh.pem")) ? "ssl_dh = </usr/share/dovecot/dh.pem\n" : "";
        Files.writeString(dir.resolve("dovecot.conf"), ""
                + "base_dir = " + dir.resolve("run") + "\n"
                + "state_dir = " + dir.resolve("state") + "\n"
                + "log_path = " + dir.resolve("dovecot.log") + "\n"
                + "listen = 127.0.0.1\n"
                + "protocols = imap\n"
                + "ssl = yes\n"
                + "ssl_cert = <" + certificate() + "\n"
                + "ssl_key = <" + dir.resolve("key.pem") + "\n"
                + dh
                + "disable_plaintext_auth = no\n"
                + "auth_mechanisms = plain login xoauth2 oauthbearer\n"
                + "mail_location = maildir:~/Maildir\n"
                + "mail_uid = dovecot\n"
                + "mail_gid = dovecot\n"
                + "first_valid_uid = 1\n"
                + "passdb {\n  driver = passwd-file\n  args = " + dir.resolve("passwd") + "\n}\n"
                + "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = "
                + dir.resolve("dovecot-oauth2.conf.ext") + "\n}\n"
                + "userdb {\n  driver = passwd-file\n  args = " + dir.resolve("passwd") + "\n}\n"
                + "service imap-login {\n"
                + "  inet_listener imap {\n    port = " + imapPort + "\n  }\n"
                + "  inet_listener imaps {\n    port = " + imapsPort + "\n    ssl = yes\n  }\n"
                + "}\n");
    }

    /**
     * Stops the server (the process group of its current master) and removes its directory once this JVM is gone,
     * however it ends: Surefire may halt a test JVM, which skips shutdown hooks, and Pax Exam runs no class-level
     * method in the test JVM. A shell that outlives the JVM does it, in the background so that it is none of the
     * JVM's descendants (which Pax Exam ends with the distribution).
     */
    private void stopWhenThisJvmEnds() throws IOException {
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                + "kill -TERM -$(cat " + dir.resolve("run/master.pid") + ") 2>/dev/null; sleep 1; rm -rf " + dir;
        new ProcessBuilder("sh", "-c", "(" + script + ") </dev/null >/dev/null 2>&1 &").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private void run(String... command) throws IOException, InterruptedException {
        Path output = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(output));
        }
    }

    private static String id(String flag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", flag, "dovecot").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
