package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.mail.Folder;
import javax.mail.FolderClosedException;
import javax.mail.MessagingException;
import javax.net.ssl.SSLSocketFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.DedupeStore;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.outbound.OutboundGuard;
import com.sun.mail.imap.IMAPFolder;
import com.sun.mail.imap.IMAPStore;

/**
 * IMAP IDLE for one inbox, on the node that holds the inbox's lease: a daemon thread keeps its own connection to
 * INBOX in IDLE and, whenever the server announces new mail, has the inbox polled at once. That poll is the
 * scheduled one's code path (lease, filters, dedupe, commit before mark-as-read), so IDLE changes only when a poll
 * happens; the scheduled poll stays as the safety net.
 *
 * <p>No mail falls between a connection's catch-up poll and its IDLE: the catch-up runs after the connection has
 * selected INBOX, so it sees all mail the server counted then; the server announces every later message to the
 * connection with an EXISTS, and each one, whenever it comes ({@link MailAnnouncements}), makes the watcher poll —
 * before its next IDLE, or at once by ending the IDLE it came with.
 *
 * <p>The thread runs while this node holds the lease ({@link #leaseHeld}, {@link #leaseLost}), re-issues IDLE
 * every {@code emailIdleRenewSeconds} (RFC 2177: a server may end an IDLE after 30 minutes), reconnects with
 * backoff (1 s doubling to 60 s) and, after {@value #FALL_BACK_AFTER} failures in a row, reports that the inbox
 * falls back to polling while it keeps reconnecting. A node keeps at most {@code emailMaxIdleConnections} open.
 */
final class IdleWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWatcher.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    static final int FALL_BACK_AFTER = 3;
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    static final String NO_IDLE_SCOPE = "email.no-idle";

    /** What the watchers of one node share. */
    record Node(Semaphore slots, int maxConnections, ScheduledExecutorService timer, Duration renewEvery,
                SSLSocketFactory tls, Supplier<OutboundGuard> guard, InboxStore inboxes, EventLog events,
                DedupeStore dedupe, Clock clock) {
    }

    private final Inbox inbox;
    private final Supplier<String> credential;
    private final Node node;
    private final Runnable poll;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger rounds = new AtomicInteger();
    private Connection current; // guarded by this
    private boolean closed; // guarded by this
    private boolean unsupported; // guarded by this; the server has no IDLE: polled only until the inbox changes
    private boolean toldFull; // guarded by this
    private volatile String mode = Inbox.MODE_POLL;
    private volatile boolean failing;
    private volatile Runnable afterCatchUp = () -> { }; // a test hook, see afterCatchUp(Runnable)

    IdleWatcher(Inbox inbox, Supplier<String> credential, Node node, Runnable poll) {
        this.inbox = inbox;
        this.credential = credential;
        this.node = node;
        this.poll = poll;
    }

    /** This node holds the inbox's lease: open the IDLE connection unless it is open or cannot be had. */
    synchronized void leaseHeld() {
        if (closed || unsupported || (current != null && !current.stopped)) {
            return;
        }
        if (!node.slots().tryAcquire()) {
            if (!toldFull) {
                toldFull = true;
                LOG.warn("Inbox {} is only polled, every {} s: the {} IDLE connections this node may keep open "
                        + "(emailMaxIdleConnections) are taken", inbox.id(), inbox.pollIntervalSeconds(),
                        node.maxConnections());
            }
            return;
        }
        toldFull = false;
        current = new Connection();
        current.thread.start();
    }

    /** Another node holds the lease now: close the connection and leave the inbox's status to that node. */
    synchronized void leaseLost() {
        if (current != null) {
            current.stop();
        }
    }

    /** The inbox's route stops (changed, deactivated, deleted, bundle stopping): close for good. */
    void close() {
        Connection c;
        boolean wasIdle;
        synchronized (this) {
            closed = true;
            c = current;
            wasIdle = Inbox.MODE_IDLE.equals(mode);
            if (c != null) {
                c.stop();
            }
        }
        if (c != null) {
            c.awaitExit();
        }
        if (wasIdle) {
            record(Inbox.MODE_POLL, null, null);
        }
    }

    /** {@code idle} while an IDLE connection is open (or being reopened, before falling back); else {@code poll}. */
    String mode() {
        return mode;
    }

    /** True after {@value #FALL_BACK_AFTER} failures in a row, until the connection works again. */
    boolean failing() {
        return failing;
    }

    /** How many times a connection was set up in IDLE, and how many IDLE commands ended (for tests). */
    int connects() {
        return connects.get();
    }

    int rounds() {
        return rounds.get();
    }

    /**
     * For tests: runs on the IDLE thread after each connection's catch-up poll, just before its first IDLE — mail
     * delivered from it lands in the gap the catch-up no longer sees.
     */
    void afterCatchUp(Runnable hook) {
        afterCatchUp = hook;
    }

    private void record(String newMode, String error, Instant eventAt) {
        try {
            node.inboxes().recordIdle(inbox, newMode, error, eventAt);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the IDLE state of inbox {}", inbox.id(), e);
        }
    }

    private void event(Event.Level level, String message) {
        try {
            node.events().record(inbox.organizationId(), level, EmailIntake.source(inbox), message,
                    Map.of("inboxId", inbox.id()));
        } catch (RuntimeException e) {
            LOG.warn("Could not record an event of inbox {}", inbox.id(), e);
        }
    }

    /** One thread and its connections, from {@link #leaseHeld} until stopped. */
    private final class Connection implements Runnable {

        final Thread thread = new Thread(this, "dooneflow-email-idle-" + inbox.id());
        volatile boolean stopped;
        private IdleSocket socket = new IdleSocket(); // guarded by this
        private volatile IMAPFolder folder;
        private volatile MailAnnouncements announcements;
        private boolean exited; // guarded by this
        private ScheduledFuture<?> waker; // guarded by this
        private boolean fellBack;

        Connection() {
            thread.setDaemon(true);
        }

        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            notifyAll(); // ends a backoff wait
            if (!exited) {
                // Politely: a folder call from another thread ends IDLE (javax.mail sends DONE), then the thread logs
                // out; repeated, as the thread may be just entering IDLE. For sure after STOP_GRACE: a server that
                // does not answer is cut off.
                waker = node.timer().scheduleWithFixedDelay(this::wakeUp, 0, 100, TimeUnit.MILLISECONDS);
                node.timer().schedule(socket::close, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Waits for the thread to end, cutting the connection if the polite stop is not enough. */
        void awaitExit() {
            if (Thread.currentThread() == thread) {
                return;
            }
            try {
                thread.join(STOP_GRACE.toMillis());
                if (thread.isAlive()) {
                    synchronized (this) {
                        socket.close();
                    }
                    thread.join(STOP_GRACE.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            try {
                loop();
            } finally {
                synchronized (this) {
                    exited = true;
                    if (waker != null) {
                        waker.cancel(false);
                    }
                }
                synchronized (IdleWatcher.this) {
                    if (current == this) {
                        current = null;
                        mode = Inbox.MODE_POLL;
                        failing = false;
                    }
                }
                node.slots().release();
            }
        }

        private void loop() {
            int failures = 0;
            while (!stopped) {
                long began = System.nanoTime();
                try {
                    if (!watch()) {
                        return; // the server does not offer IDLE
                    }
                } catch (MessagingException | IOException | RuntimeException e) {
                    if (stopped) {
                        return;
                    }
                    // A connection that lasted counts as a fresh start, one that drops at once as another failure.
                    boolean lasted = Duration.ofNanos(System.nanoTime() - began).compareTo(MAX_BACKOFF) >= 0;
                    failures = lasted ? 1 : failures + 1;
                    LOG.debug("IDLE connection of inbox {} failed ({} in a row)", inbox.id(), failures, e);
                    if (failures >= FALL_BACK_AFTER && !fellBack) {
                        fellBack = true;
                        fallBack(e);
                    }
                    pause(backoff(failures));
                }
            }
        }

        /** Connects and idles until stopped; false when the server has no IDLE. */
        private boolean watch() throws MessagingException, IOException {
            node.guard().get().resolve(inbox.host());
            IdleSocket sock = new IdleSocket();
            synchronized (this) {
                if (stopped) {
                    return true;
                }
                socket = sock;
            }
            IMAPStore store = (IMAPStore) MailSessions.session(inbox, node.tls(), sock)
                    .getStore(MailSessions.protocol(inbox.security()));
            try {
                store.connect(inbox.host(), inbox.port(), inbox.username(), credential.get());
                if (!store.hasCapability("IDLE")) {
                    noIdle();
                    return false;
                }
                IMAPFolder f = (IMAPFolder) store.getFolder("INBOX");
                f.open(Folder.READ_ONLY);
                MailAnnouncements announced = new MailAnnouncements(this::wakeUpForMail);
                f.doCommand(p -> {
                    p.addResponseHandler(announced);
                    return null;
                });
                announcements = announced;
                folder = f;
                connects.incrementAndGet();
                established();
                pollNow(); // whatever arrived while no connection was open: all the SELECT counted, and maybe more
                afterCatchUp.run();
                long idleTimeout = node.renewEvery().toMillis() + MailSessions.TIMEOUT_MILLIS;
                while (!stopped) {
                    // Flag changes (our own mark-as-read) and keep-alives end IDLE too: only an EXISTS is mail.
                    if (announced.take() && !stopped) {
                        record(null, null, node.clock().instant());
                        pollNow();
                    }
                    ScheduledFuture<?> renewal = node.timer().schedule(this::wakeUp, node.renewEvery().toMillis(),
                            TimeUnit.MILLISECONDS);
                    sock.readTimeout(idleTimeout); // silence is normal in IDLE, until the renewal
                    try {
                        f.idle(true); // returns after the server's first notification, or when woken up
                    } finally {
                        renewal.cancel(false);
                    }
                    if (!f.isOpen()) {
                        // javax.mail ends IDLE quietly when the server says BYE or the connection drops
                        throw new FolderClosedException(f, "the server closed the IDLE connection");
                    }
                    sock.readTimeout(MailSessions.TIMEOUT_MILLIS);
                    rounds.incrementAndGet();
                }
                return true;
            } finally {
                logOut(store);
                sock.close();
            }
        }

        private void pollNow() {
            if (!stopped) {
                poll.run();
            }
        }

        /** Closes INBOX and logs out, as a mail client should (javax.mail would just drop an open folder's connection). */
        private void logOut(IMAPStore store) {
            IMAPFolder f = folder;
            if (f != null) {
                synchronized (f) { // not while a wake-up runs its command
                    folder = null;
                }
            }
            announcements = null;
            try {
                if (f != null && f.isOpen()) {
                    f.close(false);
                }
                store.close();
            } catch (MessagingException | RuntimeException e) {
                // the connection is gone either way
            }
        }

        /**
         * Ends the current IDLE, if any: before running a command from another thread, javax.mail sends DONE and
         * waits for the IDLE to end; this command sends nothing more. (A count or open check would not do: javax.mail
         * skips their NOOP, and so the DONE, within a second of the connection's last command.)
         */
        private void wakeUp() {
            IMAPFolder f = folder;
            if (f == null) {
                return;
            }
            // Holding the folder, as javax.mail's commands do: once closed, the command would open a connection.
            synchronized (f) {
                try {
                    if (folder == f) {
                        f.doCommand(p -> null);
                    }
                } catch (MessagingException | RuntimeException e) {
                    // the connection broke: the IDLE thread sees it too
                }
            }
        }

        /**
         * Mail was announced, maybe with the start of an IDLE that therefore does not end by itself: end it from the
         * timer's thread (it waits until the IDLE has started, as javax.mail holds the folder meanwhile).
         */
        private void wakeUpForMail() {
            try {
                node.timer().execute(() -> {
                    MailAnnouncements a = announcements;
                    if (a != null && a.pending()) {
                        wakeUp();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the node is stopping
            }
        }

        private void established() {
            synchronized (IdleWatcher.this) {
                if (stopped) {
                    return;
                }
                mode = Inbox.MODE_IDLE;
                failing = false;
                record(Inbox.MODE_IDLE, null, null);
            }
            if (fellBack) {
                fellBack = false;
                event(Event.Level.INFO, "New mail in " + inbox.emailAddress() + " is fetched at once again (IDLE).");
            }
            LOG.info("Inbox {} ({}) is watched with IDLE", inbox.id(), inbox.emailAddress());
        }

        private void fallBack(Exception cause) {
            String why = "The IDLE connection failed " + FALL_BACK_AFTER + " times in a row ("
                    + MailErrors.describe(cause, inbox).message() + "); new mail is fetched by polling every "
                    + inbox.pollIntervalSeconds() + " s while DooneFlow keeps reconnecting.";
            synchronized (IdleWatcher.this) {
                if (stopped) {
                    return;
                }
                mode = Inbox.MODE_POLL;
                failing = true;
                record(Inbox.MODE_POLL, why, null);
            }
            event(Event.Level.WARN, "Inbox " + inbox.emailAddress() + ": " + why);
            LOG.warn("Inbox {}: {}", inbox.id(), why);
        }

        private void noIdle() {
            synchronized (IdleWatcher.this) {
                unsupported = true;
                if (stopped) {
                    return;
                }
                mode = Inbox.MODE_POLL;
                record(Inbox.MODE_POLL, null, null);
            }
            LOG.info("Inbox {}: {} does not offer IDLE; it is polled every {} s", inbox.id(), inbox.host(),
                    inbox.pollIntervalSeconds());
            if (node.dedupe().firstSeen(inbox.organizationId(), NO_IDLE_SCOPE,
                    inbox.id() + "/" + inbox.configRevision(), EmailIntake.REMEMBER)) {
                event(Event.Level.INFO, "The server of " + inbox.emailAddress() + " (" + inbox.host() + ") does not "
                        + "offer IDLE, so new mail is fetched by polling every " + inbox.pollIntervalSeconds() + " s.");
            }
        }

        private synchronized void pause(Duration d) {
            try {
                if (!stopped) {
                    wait(d.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    static Duration backoff(int failures) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(failures - 1, 6);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }
}
