package com.dooneflow.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * Drives the Dovecot of the private configuration {@link HostDovecot} wrote: starts and stops the server, delivers
 * an email with Dovecot's delivery agent, or drops one into a mailbox's maildir while the server is down (as a mail
 * server writing maildir does). Only the JDK and Awaitility, so the tests inside the distribution use it
 * too: both run as the same user on the same machine, and the directory is all they share.
 */
final class DovecotCommands {

    private final Path dir;
    private final int imapsPort;

    DovecotCommands(Path dir, int imapsPort) {
        this.dir = dir;
        this.imapsPort = imapsPort;
    }

    Path config() {
        return dir.resolve("dovecot.conf");
    }

    Path home(String user) {
        return dir.resolve("home").resolve(user);
    }

    void start() throws IOException, InterruptedException {
        run("/usr/sbin/dovecot", "-c", config().toString());
        Awaitility.await("Dovecot listens").atMost(Duration.ofSeconds(30)).until(() -> accepts(imapsPort));
    }

    /**
     * Stops the server as a service manager stops it: every process of its process group (the master and all it
     * started) ends at once, so every connection ends now; waits until they are gone. The mail stays. ({@code
     * doveadm stop} ends the master only, and an {@code imap} process it leaves behind keeps its client connected for
     * about 10 s.)
     */
    void stop() throws IOException {
        long group = Long.parseLong(Files.readString(dir.resolve("run/master.pid")).trim());
        members(group).forEach(ProcessHandle::destroy);
        Awaitility.await("Dovecot stopped").atMost(Duration.ofSeconds(30)).until(() -> members(group).isEmpty()
                && !accepts(imapsPort) && !Files.exists(dir.resolve("run/master.pid")));
    }

    /** Hands an email to Dovecot's delivery agent, as a mail server hands over incoming mail. */
    void deliver(String user, String subject) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/lib/dovecot/dovecot-lda", "-c", config().toString(), "-d", user,
                "-f", "sender@it.example").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(email(user, subject).getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("dovecot-lda failed: " + output + log());
        }
    }

    /**
     * Writes an email into the user's {@code Maildir/new} the maildir way (into {@code tmp}, then renamed), owned by
     * Dovecot's user: delivery that does not need the IMAP server, which its agent does. The maildir must exist (the
     * mailbox has had mail).
     */
    void dropIntoMaildir(String user, String subject) throws IOException {
        Path maildir = home(user).resolve("Maildir");
        Path tmp = maildir.resolve("tmp");
        Path fresh = maildir.resolve("new");
        String name = System.currentTimeMillis() / 1000 + ".M" + System.nanoTime() / 1000 + "P"
                + ProcessHandle.current().pid() + ".dooneflow-it";
        Path file = tmp.resolve(name);
        Files.writeString(file, email(user, subject));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("dovecot"));
        view.setGroup(users.lookupPrincipalByGroupName("dovecot"));
        view.setPermissions(PosixFilePermissions.fromString("rw-------"));
        Files.move(file, fresh.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    String log() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static String email(String user, String subject) {
        return "From: Sender <sender@it.example>\r\nTo: " + user + "@it.example\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@it.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello\r\n";
    }

    private void run(String... command) throws IOException, InterruptedException {
        // To a file, not a pipe: the daemon Dovecot forks would keep a pipe open and reading it would never end.
        Path output = dir.resolve("command.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(output) + log());
        }
    }

    /** The live processes of a process group, from {@code /proc} (Linux). */
    private static List<ProcessHandle> members(long group) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> inGroup(p, group))
                    .flatMap(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).stream())
                    .toList();
        }
    }

    private static boolean inGroup(Path process, long group) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            // After the command name in parentheses: state, parent, process group, ...
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !"Z".equals(fields[0]) && Long.parseLong(fields[2]) == group;
        } catch (IOException | RuntimeException e) {
            return false; // it ended meanwhile
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
