package com.dooneflow.persistence.internal;

import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import javax.persistence.spi.PersistenceProvider;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the {@link Database} off the activation thread (migrations and Hibernate take seconds, and the
 * database may not be up yet) and registers it as a service once ready; everything that needs the database
 * waits for that service. A database that cannot be reached is retried with backoff, so health reports DOWN
 * meanwhile instead of the distribution failing to start.
 * <p>
 * The database opens while Karaf installs its boot features, but is registered only once Karaf has started them
 * ({@code BootFinished}). Registering it activates, on this thread, most of the components that register JAX-RS
 * resources, and the Aries JAX-RS whiteboard does not take two resources from two threads at once: its map of
 * services by name is a plain {@code HashMap} (component-dsl 1.2.2, {@code OSGi.splitBy}), and a resource that
 * arrives while another thread adds one fails with a {@code ConcurrentModificationException} and is never deployed.
 * Waiting leaves this thread the only one registering them.
 */
@Component(immediate = true, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.REQUIRE)
public class DatabaseStarter {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseStarter.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /**
     * The property of a service registered once the components that need the database have started: what starts
     * more bundles itself (the connector provisioning) waits for it, so as not to start them meanwhile.
     */
    static final String CORE_STARTED = "dooneflow.core.started";
    /** Karaf registers it once it has installed and started the boot features. */
    private static final String BOOT_FINISHED = "(objectClass=org.apache.karaf.features.BootFinished)";

    private final Thread starter;
    private Database database;
    private ServiceRegistration<Database> registration;
    private ServiceRegistration<Object> started;
    private boolean stopped;

    @Activate
    public DatabaseStarter(Map<String, Object> config, BundleContext context,
                           @Reference(target = "(osgi.jdbc.driver.class=org.h2.Driver)") DataSourceFactory h2,
                           @Reference(target = "(osgi.jdbc.driver.class=org.postgresql.Driver)") DataSourceFactory postgresql,
                           @Reference(target = "(javax.persistence.provider=org.hibernate.jpa.HibernatePersistenceProvider)")
                           PersistenceProvider provider) {
        Settings settings = Settings.of(config);
        starter = new Thread(() -> start(settings, context, h2, postgresql, provider), "dooneflow-database-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void start(Settings settings, BundleContext context, DataSourceFactory h2, DataSourceFactory postgresql,
                       PersistenceProvider provider) {
        Duration backoff = Duration.ofSeconds(1);
        while (!isStopped()) {
            try {
                Database db = Database.open(settings, context.getBundle(), h2, postgresql, provider);
                awaitBootFinished(context);
                synchronized (this) {
                    if (stopped) {
                        db.close();
                    } else {
                        database = db;
                        registration = context.registerService(Database.class, db, null);
                        // Registering returns once the components that need the database have started on this thread.
                        started = context.registerService(Object.class, new Object(),
                                new Hashtable<>(Map.of(CORE_STARTED, true)));
                    }
                }
                return;
            } catch (Exception e) {
                LOG.error("The database is not ready ({}); retrying in {} s", e.getMessage(), backoff.toSeconds());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Returns when Karaf has started its boot features or this component stops (then the caller closes the database). */
    private void awaitBootFinished(BundleContext context) throws InvalidSyntaxException {
        ServiceTracker<Object, Object> boot = new ServiceTracker<>(context, context.createFilter(BOOT_FINISHED), null);
        boot.open(true); // whichever class space: this bundle does not import Karaf's features API
        try {
            while (boot.getServiceReference() == null && !isStopped()) {
                boot.waitForService(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            boot.close();
        }
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    @Deactivate
    void stop() throws InterruptedException {
        synchronized (this) {
            stopped = true;
        }
        starter.interrupt();
        starter.join(Duration.ofSeconds(30).toMillis());
        synchronized (this) {
            if (registration != null) {
                started.unregister();
                registration.unregister();
                database.close();
            }
        }
    }
}
