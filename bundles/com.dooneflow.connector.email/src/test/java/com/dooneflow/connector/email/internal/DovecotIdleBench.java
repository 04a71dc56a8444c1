package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.RecordingTriggerSink;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/**
 * The IMAP IDLE benchmark (run by {@code bench/email-idle.sh}, not by the ordinary build: the class name does not
 * end in Test): mail delivered by Dovecot's own delivery agent ({@code dovecot-lda}) to the trigger's accepted
 * event, p50/p95 over 50 emails; and what 200 inboxes watched with IDLE cost this JVM (threads, heap) and Dovecot
 * (processes, proportional memory), with one email seen by all of them.
 */
class DovecotIdleBench {

    static DovecotRig dovecot;
    static TestCertificates certificates;

    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    InboxStore inboxes = new InboxStore(settings);
    EmailTrigger trigger = new EmailTrigger();
    Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    RecordingTriggerSink sink = new RecordingTriggerSink() {
        @Override
        public synchronized Acceptance accept(TriggerEvent event) {
            Acceptance a = super.accept(event);
            acceptedAt.putIfAbsent(event.organizationId() + "/" + event.data().get("email_subject"), System.nanoTime());
            return a;
        }
    };
    EmailPollers pollers;

    @BeforeAll
    static void startDovecot() throws Exception {
        assertThat(DovecotRig.installed()).as("Dovecot must be installed: apt-get install dovecot-imapd").isTrue();
        certificates = TestCertificates.shared();
        // Dovecot's default high-security mode: one imap process per connection and, with TLS, one imap-login process
        // proxying it; room for 1000 of each, and for 200 inboxes of one user on loopback.
        dovecot = DovecotRig.start(certificates, "protocol imap {\n  mail_max_userip_connections = 1000\n}\n"
                + "default_process_limit = 1000\n");
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
                        new OutboundGuard("127.0.0.1/32,::1/128"), 3600, 3_600_000, 250, Duration.ofSeconds(1500)),
                Clock.systemUTC(), TestOutboundHttp.loopback());
    }

    @AfterEach
    void stop() {
        pollers.close();
    }

    Inbox watched(String org) throws Exception {
        Inbox inbox = inboxes.create(org, new HashMap<>(Map.of("emailAddress", "support@example.com", "host",
                "localhost", "port", dovecot.imapsPort, "security", "ssl", "username", DovecotRig.USER, "password",
                DovecotRig.PASSWORD, "pollIntervalSeconds", 300)));
        // Left unread, so each of the 200 inboxes (one mailbox) takes the email to everyone.
        sink.watch(org, "wf", Map.of("inboxId", inbox.id(), "markAsRead", false));
        String error = pollers.pollNow(inbox.id()).orElseThrow().error();
        if (error != null) {
            throw new AssertionError(error + "\n" + dovecot.log().lines()
                    .filter(l -> l.contains("Warning") || l.contains("Error") || l.contains("Fatal")).toList());
        }
        return inbox;
    }

    @Test
    void fiftyDeliveredEmailsToTheirExecutions() throws Exception {
        Inbox inbox = watched("org");
        await().atMost(Duration.ofSeconds(10)).until(() -> inboxes.require("org", inbox.id()).mode().equals("idle"));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String subject = "Delivered " + i;
            long sent = System.nanoTime();
            deliver(subject);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> acceptedAt.containsKey("org/" + subject));
            delays.add((acceptedAt.get("org/" + subject) - sent) / 1_000_000);
        }
        List<Long> sorted = delays.stream().sorted().toList();
        System.out.printf("BENCH idle-delivery: 50 emails delivered by dovecot-lda to accepted trigger event: "
                + "p50 %d ms, p95 %d ms, max %d ms%n", sorted.get(24), sorted.get(47), sorted.get(49));
        assertThat(sorted.get(47)).isLessThan(2000);
    }

    @Test
    void twoHundredInboxesWatchedWithIdle() throws Exception {
        int inboxCount = 200;
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = usedHeapAfterGc();
        DovecotCost dovecotBefore = DovecotCost.now();
        for (int i = 0; i < inboxCount; i++) {
            watched("org-" + i);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> pollers.idleConnections() == inboxCount
                && inboxes.listAll().stream().allMatch(i -> i.mode().equals("idle")));
        int threads = ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore;
        long heap = usedHeapAfterGc() - heapBefore;
        DovecotCost dovecotAfter = DovecotCost.now();

        long sent = System.nanoTime();
        deliver("To everyone");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> sink.accepted().size() == inboxCount);
        List<Long> delays = acceptedAt.values().stream().map(t -> (t - sent) / 1_000_000).sorted().toList();
        System.out.printf("BENCH idle-200: %d IDLE inboxes (each also keeps its poll connection): JVM +%d threads, "
                        + "+%d KiB heap after GC (%d KiB per inbox); Dovecot +%d processes, +%d MiB (proportional set size); one "
                        + "email to all: p50 %d ms, p95 %d ms, last %d ms%n", inboxCount, threads, heap / 1024,
                heap / 1024 / inboxCount, dovecotAfter.processes - dovecotBefore.processes,
                (dovecotAfter.pssKib - dovecotBefore.pssKib) / 1024, delays.get(delays.size() / 2),
                delays.get(delays.size() * 95 / 100 - 1), delays.get(delays.size() - 1));
        assertThat(threads).isGreaterThanOrEqualTo(inboxCount);
    }

    static void deliver(String subject) throws Exception {
        dovecot.deliver(subject);
    }

    static long usedHeapAfterGc() {
        // G1 runs System.gc() as a full collection before returning: the count of collections shows it has run.
        long before = collections();
        System.gc();
        await().atMost(Duration.ofSeconds(30)).until(() -> collections() > before);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /**
     * Dovecot's processes (master, login, auth, imap...) and their proportional set size: shared pages (the binary,
     * libraries) count once in total, not once per process as resident sizes would.
     */
    record DovecotCost(int processes, long pssKib) {
        static DovecotCost now() throws Exception {
            Process p = new ProcessBuilder("ps", "-C", "imap,imap-login,dovecot,auth,config,log,anvil,stats",
                    "-o", "pid=").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            long pss = 0;
            int count = 0;
            for (String pid : out.trim().split("\\s+")) {
                java.nio.file.Path rollup = java.nio.file.Path.of("/proc", pid, "smaps_rollup");
                if (pid.isBlank() || !java.nio.file.Files.isReadable(rollup)) {
                    continue;
                }
                count++;
                for (String line : java.nio.file.Files.readAllLines(rollup)) {
                    if (line.startsWith("Pss:")) {
                        pss += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            }
            return new DovecotCost(count, pss);
        }
    }
}
