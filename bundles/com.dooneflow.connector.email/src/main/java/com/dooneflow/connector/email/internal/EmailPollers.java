package com.dooneflow.connector.email.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLSocketFactory;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.DedupeStore;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.LeaseService;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;

/**
 * Keeps one Camel route per active inbox (camel-mail over javax.mail) in this bundle's Camel context. Inboxes live
 * in the database, so every node reconciles its routes with them: at once when an inbox is changed through this
 * node, and every {@code emailReconcileSeconds} for changes made on other nodes. A route is added, replaced (new
 * settings, new password, new interval) or removed at runtime; no restart. Every node runs the routes, but a poll
 * happens only on the node holding the inbox's lease ({@link InboxPoller#begin}), and only that node keeps the
 * inbox's IDLE connection ({@link IdleWatcher}), which has the route poll as soon as new mail is announced. Nodes
 * without the poller role ({@code DOONEFLOW_ROLES}) run no routes at all.
 */
@Component(service = EmailPollers.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class EmailPollers {

    private static final Logger LOG = LoggerFactory.getLogger(EmailPollers.class);
    static final int MAX_PER_POLL = 100;

    /** Settings from {@code etc/com.dooneflow.cfg} (the outbound allowlist: DOONEFLOW_OUTBOUND_ALLOWLIST wins). */
    public @interface Config {
        String outboundAllowlist() default "";

        /** Emails larger than this are not processed (an event says so). */
        long emailMaxMessageBytes() default 10L * 1024 * 1024;

        /** A PEM file of extra certificates to trust (self-hosted IMAP servers); empty: the JVM's CAs only. */
        String emailTrustedCertificates() default "";

        /** How often each node looks for inboxes changed on other nodes. */
        int emailReconcileSeconds() default 15;

        /** Wait before a new route's first poll. */
        long emailInitialDelayMillis() default 1000;

        /**
         * At most this many IMAP IDLE connections per node, one per inbox whose lease it holds (each is a socket and
         * a thread); further inboxes are only polled. 0: no IDLE on this node.
         */
        int emailMaxIdleConnections() default 100;

        /** IDLE is ended and issued again this often (RFC 2177: servers may end it after 30 minutes). */
        int emailIdleRenewSeconds() default 1500;

        /** The address users reach DooneFlow at (OAuth redirect URLs); DOONEFLOW_PUBLIC_URL wins. */
        String publicUrl() default "";
    }

    /** Everything a route is built from that does not come from the inbox itself. */
    record Settings(long maxMessageBytes, SSLSocketFactory tls, OutboundGuard guard, int reconcileSeconds,
                    long initialDelayMillis, int maxIdleConnections, Duration idleRenew, String publicUrl) {
        static final int MAX_RENEW_SECONDS = 29 * 60; // RFC 2177
        static final String DEFAULT_PUBLIC_URL = "http://localhost:8181";

        Settings(long maxMessageBytes, SSLSocketFactory tls, OutboundGuard guard, int reconcileSeconds,
                 long initialDelayMillis, int maxIdleConnections, Duration idleRenew) {
            this(maxMessageBytes, tls, guard, reconcileSeconds, initialDelayMillis, maxIdleConnections, idleRenew,
                    DEFAULT_PUBLIC_URL);
        }

        static Settings of(Config c) {
            return new Settings(c.emailMaxMessageBytes(), TlsTrust.socketFactory(c.emailTrustedCertificates()),
                    OutboundGuard.configured(c.outboundAllowlist()), Math.max(1, c.emailReconcileSeconds()),
                    Math.max(0, c.emailInitialDelayMillis()), Math.max(0, c.emailMaxIdleConnections()),
                    Duration.ofSeconds(Math.min(MAX_RENEW_SECONDS, Math.max(1, c.emailIdleRenewSeconds()))),
                    publicUrl(c.publicUrl(), System.getenv("DOONEFLOW_PUBLIC_URL")));
        }

        static String publicUrl(String configured, String env) {
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
            return configured == null || configured.isBlank() ? DEFAULT_PUBLIC_URL : configured.trim();
        }
    }

    /**
     * The Camel context, created and started with the first inbox route: a node with no inbox to poll loads none of
     * the 450 classes a started context needs.
     */
    private final Supplier<CamelContext> newCamel;
    private volatile CamelContext camel;
    private MailComponent mail;
    private final InboxStore inboxes;
    private final EmailTrigger trigger;
    private final LeaseService leases;
    private final DedupeStore dedupe;
    private final EventLog events;
    private final Clock clock;
    private final OAuthApps apps;
    private final TokenEndpoint tokenEndpoint;
    private final InboxSignIn signIn;
    private final Map<String, InboxPoller> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dooneflow-email-pollers");
        t.setDaemon(true);
        return t;
    });
    /** Renews and ends the IDLE commands of this node's IDLE connections. */
    private final ScheduledThreadPoolExecutor idleTimer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "dooneflow-email-idle-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile Settings settings;
    private volatile Semaphore idleSlots;
    /** Only nodes with the poller role run routes (and so take inbox leases and keep IDLE connections). */
    private final boolean pollsInboxes;

    @Activate
    public EmailPollers(BundleContext bundleContext, @Reference ConnectorSettings settingsStore,
                        @Reference EmailTrigger trigger, @Reference LeaseService leases,
                        @Reference DedupeStore dedupe, @Reference EventLog events, @Reference ClusterService cluster,
                        @Reference OutboundHttp http, Config config) throws Exception {
        this(() -> new OsgiDefaultCamelContext(bundleContext), new InboxStore(settingsStore), trigger, leases, dedupe,
                events, Settings.of(config), Clock.systemUTC(), cluster.hasRole(NodeRole.POLLER), http);
    }

    EmailPollers(CamelContext camel, InboxStore inboxes, EmailTrigger trigger, LeaseService leases, DedupeStore dedupe,
                 EventLog events, Settings settings, Clock clock, OutboundHttp http) {
        this(camel, inboxes, trigger, leases, dedupe, events, settings, clock, true, http);
    }

    EmailPollers(CamelContext camel, InboxStore inboxes, EmailTrigger trigger, LeaseService leases, DedupeStore dedupe,
                 EventLog events, Settings settings, Clock clock, boolean pollsInboxes, OutboundHttp http) {
        this(() -> camel, inboxes, trigger, leases, dedupe, events, settings, clock, pollsInboxes, http);
    }

    private EmailPollers(Supplier<CamelContext> newCamel, InboxStore inboxes, EmailTrigger trigger,
                         LeaseService leases, DedupeStore dedupe, EventLog events, Settings settings, Clock clock,
                         boolean pollsInboxes, OutboundHttp http) {
        this.pollsInboxes = pollsInboxes;
        if (!pollsInboxes) {
            LOG.info("This node has no poller role: it polls no email inboxes; the poller nodes do");
        }
        this.newCamel = newCamel;
        this.inboxes = inboxes;
        this.trigger = trigger;
        this.leases = leases;
        this.dedupe = dedupe;
        this.events = events;
        this.settings = settings;
        this.idleSlots = new Semaphore(settings.maxIdleConnections());
        this.clock = clock;
        this.apps = new OAuthApps(inboxes.settings());
        this.tokenEndpoint = new TokenEndpoint(http, Duration.ofMillis(MailSessions.TIMEOUT_MILLIS));
        this.signIn = new InboxSignIn(inboxes.settings(), apps, tokenEndpoint, events, clock,
                () -> this.settings.publicUrl());
        idleTimer.setRemoveOnCancelPolicy(true);
        trigger.onBindingsChanged(() -> {
            try {
                executor.execute(this::reportUnknownInboxes);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // deactivating
            }
        });
        // Never block activation on the database or the network: the first reconcile runs on the executor.
        executor.scheduleWithFixedDelay(this::reconcileQuietly, 0, settings.reconcileSeconds(), TimeUnit.SECONDS);
    }

    @Modified
    void modified(Config config) {
        settings = Settings.of(config);
        executor.execute(() -> {
            stopAll();
            idleSlots = new Semaphore(settings.maxIdleConnections());
            reconcileQuietly();
        });
    }

    @Deactivate
    void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll();
        idleTimer.shutdownNow();
        synchronized (this) {
            if (camel != null) {
                camel.stop();
            }
        }
    }

    /** The Camel context, started; created at the first call. */
    private synchronized CamelContext startedCamel() {
        if (camel == null) {
            CamelContext created = newCamel.get();
            created.adapt(org.apache.camel.ExtendedCamelContext.class).setName("dooneflow-email");
            created.disableJMX(); // nothing to manage from outside; and endpoint details stay out of JMX
            // Start the context first, then add routes: routes added to an OsgiDefaultCamelContext before start()
            // never start.
            created.start();
            mail = new MailComponent(created);
            camel = created;
        }
        return camel;
    }

    /** The Camel context, or null while no inbox route was ever added on this node. */
    CamelContext camel() {
        return camel;
    }

    public InboxStore inboxes() {
        return inboxes;
    }

    OAuthApps apps() {
        return apps;
    }

    InboxSignIn signIn() {
        return signIn;
    }

    /**
     * What the inbox signs in with, asked at every connection: the password, or an OAuth 2.0 access token that is
     * refreshed when it nears expiry. Empty when the inbox cannot sign in (no password; not connected).
     */
    Optional<Supplier<String>> credential(Inbox inbox) {
        if (inbox.oauth2()) {
            return Inbox.CONNECTED.equals(inbox.auth().status())
                    ? Optional.of(() -> signIn.accessToken(inbox)) : Optional.empty();
        }
        return inboxes.password(inbox).map(p -> () -> p);
    }

    /** An inbox was created, changed or deleted on this node: bring the routes in line now (asynchronously). */
    public void changed() {
        try {
            executor.execute(this::reconcileQuietly);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivating
        }
    }

    /** The ids of the inboxes with a route on this node. */
    public List<String> runningInboxIds() {
        return new ArrayList<>(running.keySet());
    }

    /** The poll interval each route on this node runs with, by inbox id. */
    public Map<String, Integer> routeIntervals() {
        Map<String, Integer> intervals = new java.util.TreeMap<>();
        running.forEach((id, poller) -> intervals.put(id, poller.inbox().pollIntervalSeconds()));
        return intervals;
    }

    /** The ids of the inboxes this node polls now: it holds their lease (the other nodes with a route stand by). */
    public java.util.Set<String> polledHere() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        running.forEach((id, poller) -> {
            if (poller.holdsLease()) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** How many IDLE connections this node keeps open (at most {@code emailMaxIdleConnections}). */
    public int idleConnections() {
        return settings.maxIdleConnections() - idleSlots.availablePermits();
    }

    /** The IDLE watcher of an inbox on this node; empty when it has no route or the inbox does not want IDLE. */
    Optional<IdleWatcher> idleWatcher(String inboxId) {
        return Optional.ofNullable(running.get(inboxId)).map(InboxPoller::idle);
    }

    /**
     * Polls the inbox now, on the caller's thread, as the scheduler would (lease and all), and returns how it went;
     * empty when this node has no route for it (inactive, deleted, or not reconciled yet).
     */
    public Optional<InboxPoller.Result> pollNow(String inboxId) {
        reconcileQuietly();
        InboxPoller poller = running.get(inboxId);
        if (poller == null || !pollRoute(inboxId)) {
            return Optional.empty();
        }
        return Optional.of(poller.lastResult());
    }

    /** Runs one poll of the inbox's route on the caller's thread; false when it has no route here. */
    private boolean pollRoute(String inboxId) {
        CamelContext context = camel;
        Route route = context == null ? null : context.getRoute(routeId(inboxId));
        if (route == null) {
            return false;
        }
        ((Runnable) route.getConsumer()).run(); // one poll at a time: InboxMailConsumer.run is synchronized
        return true;
    }

    synchronized void reconcile() {
        Map<String, Inbox> wanted = new java.util.HashMap<>();
        for (Inbox inbox : pollsInboxes ? inboxes.listAll() : List.<Inbox>of()) {
            if (inbox.active()) {
                wanted.put(inbox.id(), inbox);
            }
        }
        for (String id : List.copyOf(running.keySet())) {
            Inbox want = wanted.get(id);
            if (want == null || want.configRevision() != running.get(id).inbox().configRevision()) {
                stop(id);
            }
        }
        for (Inbox inbox : wanted.values()) {
            if (!running.containsKey(inbox.id())) {
                start(inbox);
            }
        }
    }

    /**
     * A workflow whose trigger names an inbox its organization does not have (deleted, or a typo) would never run:
     * say so on the Events page, once per workflow version. (The engine validates types, not inbox ids.)
     */
    void reportUnknownInboxes() {
        var sink = trigger.sink();
        if (sink == null) {
            return;
        }
        try {
            for (var binding : sink.bindings()) {
                Object inboxId = binding.params().get("inboxId");
                String id = inboxId == null ? null : inboxId.toString();
                if (inboxes.get(binding.organizationId(), id).isEmpty() && dedupe.firstSeen(binding.organizationId(),
                        "email.unknown-inbox", binding.workflowId() + "/" + binding.workflowVersion(),
                        EmailIntake.REMEMBER)) {
                    events.record(binding.organizationId(), com.dooneflow.api.Event.Level.WARN, EmailTrigger.TYPE,
                            "Workflow " + binding.workflowId() + " watches email inbox '" + id + "', which this "
                                    + "organization does not have; it will not run until the trigger names one of "
                                    + "its inboxes.", Map.of("workflowId", binding.workflowId(), "inboxId",
                                    id == null ? "" : id));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not check the inbox ids of email workflows", e);
        }
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("Could not bring the email pollers in line with the inboxes; trying again shortly", e);
        }
    }

    private void start(Inbox inbox) {
        Optional<Supplier<String>> credential = credential(inbox);
        if (credential.isEmpty()) {
            if (inbox.oauth2()) {
                LOG.info("Inbox {} is not polled: {}", inbox.id(), InboxSignIn.notConnected(inbox));
            } else {
                LOG.warn("Inbox {} has no password; it is not polled", inbox.id());
            }
            return;
        }
        Settings s = settings;
        IdleWatcher idle = !inbox.idle() ? null : new IdleWatcher(inbox, credential.get(),
                new IdleWatcher.Node(idleSlots, s.maxIdleConnections(), idleTimer, s.idleRenew(), s.tls(),
                        () -> settings.guard(), inboxes, events, dedupe, clock),
                () -> pollRoute(inbox.id()));
        InboxPoller poller = new InboxPoller(inbox, new InboxPoller.Services(inboxes, trigger, leases, events,
                new EmailIntake(dedupe, events, s.maxMessageBytes()), () -> settings.guard(), clock), idle);
        try {
            CamelContext context = startedCamel();
            InboxMailEndpoint endpoint = endpoint(context, inbox, credential.get(), s, poller);
            context.addRoutes(new RouteBuilder(context) {
                @Override
                public void configure() {
                    from(endpoint).routeId(routeId(inbox.id())).process(poller);
                }
            });
            ((InboxAuthenticator) endpoint.getConfiguration().getAuthenticator()).arm();
            running.put(inbox.id(), poller);
            // Every node stands by for every inbox; the one that takes the lease says it polls (InboxPoller).
            LOG.debug("Standing by for inbox {} ({}) every {} s", inbox.id(), inbox.emailAddress(),
                    inbox.pollIntervalSeconds());
        } catch (Exception e) {
            LOG.error("Could not start polling inbox {}", inbox.id(), e);
        }
    }

    private InboxMailEndpoint endpoint(CamelContext context, Inbox inbox, Supplier<String> credential, Settings s,
                                       InboxPoller poller) throws Exception {
        String protocol = MailSessions.protocol(inbox.security());
        MailConfiguration config = new MailConfiguration(context);
        config.configure(new URI(protocol + "://" + inbox.host() + ":" + inbox.port()));
        config.setUsername(inbox.username());
        config.setAuthenticator(new InboxAuthenticator(inbox.username(), credential));
        config.setSession(MailSessions.session(inbox, s.tls()));
        config.setUnseen(true); // new emails are the unread ones
        config.setPeek(true); // reading an email does not mark it read; only the commit after storing may
        config.setMapMailMessage(false); // the intake reads the message itself, only when a workflow wants it
        config.setSkipFailedMessage(true);
        config.setFetchSize(MAX_PER_POLL);
        // The URI names the inbox only: endpoint URIs show up in logs and JMX, passwords must not.
        InboxMailEndpoint endpoint = new InboxMailEndpoint("dooneflow-imap://" + inbox.id(), mail, config);
        endpoint.setCamelContext(context);
        endpoint.setDelay(inbox.pollIntervalSeconds() * 1000L);
        endpoint.setInitialDelay(s.initialDelayMillis());
        endpoint.setPollStrategy(poller);
        endpoint.setExceptionHandler(poller);
        endpoint.setMaxMessagesPerPoll(MAX_PER_POLL);
        return endpoint;
    }

    private void stop(String inboxId) {
        InboxPoller poller = running.get(inboxId);
        if (poller != null) {
            poller.closeIdle(); // first: no IDLE-started poll once the route looks gone
        }
        running.remove(inboxId);
        CamelContext context = camel;
        try {
            if (context != null) {
                context.getRouteController().stopRoute(routeId(inboxId), 30, TimeUnit.SECONDS);
                context.removeRoute(routeId(inboxId));
            }
        } catch (Exception e) {
            LOG.warn("Could not stop polling inbox {}", inboxId, e);
        }
        if (poller != null) {
            poller.releaseLease();
            LOG.info("Stopped polling inbox {}", inboxId);
        }
    }

    private synchronized void stopAll() {
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }

    static String routeId(String inboxId) {
        return "inbox-" + inboxId;
    }
}
