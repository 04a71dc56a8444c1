package com.dooneflow.connector.email.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.mail.Message;
import javax.mail.UIDFolder;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerSink;

/**
 * The DooneFlow side of one inbox's Camel route. As the poll strategy it decides whether this node polls now
 * (the engine is there, the host is allowed, and this node holds the inbox's lease) and records how each poll
 * went; as the route's processor it hands every email to {@link EmailIntake}. The inbox's {@link IdleWatcher}
 * follows the lease: it runs on this node from the poll that takes the lease until one finds it taken.
 */
final class InboxPoller implements Processor, PollingConsumerPollStrategy, ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboxPoller.class);

    /** The services a poller uses, shared by all of them. */
    record Services(InboxStore inboxes, EmailTrigger trigger, LeaseService leases, EventLog events, EmailIntake intake,
                    Supplier<OutboundGuard> guard, Clock clock) {
    }

    /** How the last poll went, for "poll now". */
    record Result(String status, int processed, String error) {
    }

    /** One poll in progress. */
    private static final class Run {
        TriggerSink sink;
        List<TriggerBinding> bindings;
        int processed;
        String error;
    }

    private final Inbox inbox;
    private final Services services;
    private final IdleWatcher idle; // null: the inbox is only polled
    private volatile Run run;
    private volatile Lease lease;
    private volatile Result last = new Result("not polled yet", 0, null);

    InboxPoller(Inbox inbox, Services services, IdleWatcher idle) {
        this.inbox = inbox;
        this.services = services;
        this.idle = idle;
    }

    Inbox inbox() {
        return inbox;
    }

    Result lastResult() {
        return last;
    }

    /** True while this node holds the inbox's lease, so its polls are the ones that read mail. */
    boolean holdsLease() {
        return lease != null;
    }

    String leaseName() {
        return "email-inbox/" + inbox.id();
    }

    /** {@code idle} or {@code poll}: what this node does for the inbox. */
    String mode() {
        return idle == null ? Inbox.MODE_POLL : idle.mode();
    }

    IdleWatcher idle() {
        return idle;
    }

    /** The route stops here: the IDLE connection closes (before the lease is released, so it moves with it). */
    void closeIdle() {
        if (idle != null) {
            idle.close();
        }
    }

    /** Lets another node take the inbox at once (the route stops here). */
    void releaseLease() {
        Lease held = lease;
        lease = null;
        if (held != null) {
            try {
                services.leases().release(held);
            } catch (RuntimeException e) {
                LOG.warn("Could not release the lease of inbox {}; it expires by itself", inbox.id(), e);
            }
        }
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        run = null;
        // A poll signs in with the real credential, also the first one, which may start before the route's creator
        // has armed the authenticator (an initial delay of 0).
        if (endpoint instanceof InboxMailEndpoint mail
                && mail.getConfiguration().getAuthenticator() instanceof InboxAuthenticator authenticator) {
            authenticator.arm();
        }
        TriggerSink sink = services.trigger().sink();
        if (sink == null) {
            last = new Result("skipped: the workflow engine is not running", 0, null);
            return false;
        }
        try {
            services.guard().get().resolve(inbox.host());
        } catch (java.net.UnknownHostException e) {
            finish(MailErrors.describe(e, inbox).message(), 0);
            return false;
        }
        Duration ttl = Duration.ofSeconds(inbox.pollIntervalSeconds() * 2L + 60);
        Optional<Lease> held = services.leases().tryAcquire(leaseName(), services.leases().nodeId(), ttl);
        boolean had = lease != null;
        if (held.isEmpty()) {
            if (had) {
                LOG.info("Inbox {} ({}) is polled by another node now", inbox.id(), inbox.emailAddress());
            }
            lease = null;
            if (idle != null) {
                idle.leaseLost(); // the IDLE connection moves with the lease
            }
            last = new Result("skipped: another DooneFlow node polls this inbox", 0, null);
            return false;
        }
        lease = held.get();
        if (!had) {
            // Only the node holding the lease says it polls: the others merely stand by.
            LOG.info("This node polls inbox {} ({}) every {} s{}", inbox.id(), inbox.emailAddress(),
                    inbox.pollIntervalSeconds(), inbox.idle() ? ", and listens with IDLE" : "");
        }
        if (idle != null) {
            idle.leaseHeld();
        }
        Run r = new Run();
        r.sink = sink;
        try {
            r.bindings = sink.bindings();
        } catch (RuntimeException e) {
            finish("The workflows watching this inbox could not be read: " + e.getMessage(), 0);
            return false;
        }
        run = r;
        return true;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Run r = run;
        Message message = exchange.getIn(MailMessage.class).getOriginalMessage();
        UIDFolder folder = (UIDFolder) message.getFolder();
        try {
            EmailIntake.Outcome outcome = services.intake().handle(inbox, r.sink, r.bindings,
                    folder.getUIDValidity(), folder.getUID(message), message);
            if (outcome.accepted()) {
                r.processed++;
            }
            exchange.setProperty(InboxMailEndpoint.MARK_AS_READ, outcome.markAsRead());
        } catch (RuntimeException e) {
            // Not stored (the database is away?): the email stays unread and is taken again at the next poll.
            r.error = "Emails could not be stored: " + e.getMessage();
            throw e;
        }
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        Run r = run;
        if (r != null) {
            finish(r.error, r.processed);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        Run r = run;
        finish(MailErrors.describe(cause, inbox).message(), r == null ? 0 : r.processed);
        return false; // the next poll comes at the interval
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        Run r = run;
        if (r != null && r.error == null) {
            r.error = MailErrors.describe(exception, inbox).message();
        }
        LOG.debug("Inbox {}: {}", inbox.id(), message, exception);
    }

    /** Stores the poll's outcome; an error shows on the Events page when it starts, and so does the recovery. */
    private void finish(String error, int processed) {
        run = null;
        last = new Result(error == null ? "polled" : "failed", processed, error);
        io.micrometer.core.instrument.Metrics.counter("dooneflow.imap.polls", "organization", inbox.organizationId(),
                "inbox", inbox.id(), "outcome", error == null ? "ok" : "failed").increment();
        try {
            String before = services.inboxes().recordPoll(inbox, services.clock().instant(), error, processed, mode(),
                    idle != null && idle.failing());
            EventLog events = services.events();
            String source = EmailIntake.source(inbox);
            if (error != null && !error.equals(before)) {
                events.record(inbox.organizationId(), Event.Level.ERROR, source,
                        "Inbox " + inbox.emailAddress() + " cannot be polled. " + error, Map.of("inboxId", inbox.id()));
            } else if (error == null && before != null) {
                events.record(inbox.organizationId(), Event.Level.INFO, source,
                        "Inbox " + inbox.emailAddress() + " is polled again.", Map.of("inboxId", inbox.id()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record the poll of inbox {}", inbox.id(), e);
        }
    }
}
