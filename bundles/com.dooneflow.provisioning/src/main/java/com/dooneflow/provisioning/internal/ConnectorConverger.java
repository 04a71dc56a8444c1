package com.dooneflow.provisioning.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallationService;

/**
 * Brings this node to the connectors installed cluster-wide: at start, and whenever the {@code connectors} change
 * counter moves (looked at every second), it installs or uninstalls each entry's feature with Karaf's features
 * service and reports what it reached. A failed entry is tried again every minute, so a repository that was not
 * reachable for a moment still arrives.
 */
@Component(immediate = true)
public class ConnectorConverger {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorConverger.class);
    private static final Duration RETRY_FAILED = Duration.ofMinutes(1);
    /**
     * Registered once the components that need the database have started. They register JAX-RS resources on the
     * database's thread, and the whiteboard loses a resource two threads hand it at once; the connectors this
     * installs register theirs on Karaf's, so the first installation waits for it.
     */
    private static final String CORE_STARTED = "(dooneflow.core.started=true)";

    private final FeaturesService features;
    private final ConnectorInstallationService installations;
    private final String nodeId;
    private final Path installation;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dooneflow-connector-provisioning");
        t.setDaemon(true);
        return t;
    });
    /** Feature → what this node last reported, so each change is acted on once. */
    private final Map<String, Reported> reported = new HashMap<>();
    private long seenGeneration = -1;
    private ServiceTracker<Object, Object> coreStarted;

    private record Reported(long generation, boolean failed, long at) {
    }

    @Activate
    public ConnectorConverger(@Reference FeaturesService features, @Reference ConnectorInstallationService installations,
                              @Reference ClusterService cluster, BundleContext context) throws InvalidSyntaxException {
        this(features, installations, cluster.nodeId(), Path.of(System.getProperty("karaf.base", ".")), System::nanoTime);
        coreStarted = new ServiceTracker<>(context, context.createFilter(CORE_STARTED), null);
        coreStarted.open(true);
        timer.scheduleWithFixedDelay(this::convergeSafely, 0, 1, TimeUnit.SECONDS);
    }

    /** Without the timer: tests call {@link #converge()} themselves, on their own clock. */
    ConnectorConverger(FeaturesService features, ConnectorInstallationService installations, String nodeId,
                       Path installation, LongSupplier nanoTime) {
        this.features = features;
        this.installations = installations;
        this.nodeId = nodeId;
        this.installation = installation;
        this.nanoTime = nanoTime;
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
        coreStarted.close();
    }

    private void convergeSafely() {
        if (coreStarted.getServiceReference() == null) {
            return;
        }
        try {
            converge();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the connectors installed cluster-wide; trying again", e);
        }
    }

    void converge() {
        long generation = installations.generation();
        long now = nanoTime.getAsLong();
        boolean retryDue = reported.values().stream().anyMatch(r -> r.failed() && now - r.at() > RETRY_FAILED.toNanos());
        if (generation == seenGeneration && !retryDue) {
            return;
        }
        List<ConnectorInstallation> entries = installations.list();
        for (ConnectorInstallation entry : entries) {
            Reported last = reported.get(entry.feature());
            boolean done = last != null && last.generation() == entry.generation()
                    && !(last.failed() && now - last.at() > RETRY_FAILED.toNanos());
            if (!done) {
                apply(entry, entries);
            }
        }
        seenGeneration = generation;
    }

    private void apply(ConnectorInstallation entry, List<ConnectorInstallation> entries) {
        String state;
        String reason = null;
        try {
            URI repository = RepositoryLocation.resolve(entry.repository(), installation);
            if (entry.installed()) {
                install(entry, repository);
                state = "installed";
            } else {
                uninstall(entry, repository, entries);
                state = "removed";
            }
        } catch (Exception e) {
            state = "failed";
            reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            LOG.warn("Connector feature {} could not be {} on this node: {}", entry.feature(),
                    entry.installed() ? "installed" : "uninstalled", reason);
        }
        installations.report(nodeId, entry.feature(), entry.generation(), state, reason);
        reported.put(entry.feature(), new Reported(entry.generation(), reason != null, nanoTime.getAsLong()));
    }

    private void install(ConnectorInstallation entry, URI repository) throws Exception {
        if (features.getRepository(repository) == null) {
            features.addRepository(repository);
        }
        Feature feature = features.getFeature(entry.feature(), entry.version());
        if (feature == null) {
            throw new IllegalStateException("the repository " + entry.repository() + " has no feature "
                    + entry.feature() + (entry.version() == null ? "" : " in version " + entry.version()));
        }
        if (!features.isInstalled(feature)) {
            LOG.info("Installing connector feature {}/{} from {}, as installed cluster-wide", feature.getName(),
                    feature.getVersion(), entry.repository());
            features.installFeature(feature.getName(), feature.getVersion());
        }
    }

    private void uninstall(ConnectorInstallation entry, URI repository, List<ConnectorInstallation> entries)
            throws Exception {
        for (Feature installed : features.listInstalledFeatures()) {
            if (installed.getName().equals(entry.feature())) {
                LOG.info("Uninstalling connector feature {}/{}, as removed cluster-wide", installed.getName(),
                        installed.getVersion());
                features.uninstallFeature(installed.getName(), installed.getVersion());
            }
        }
        boolean stillWanted = entries.stream().anyMatch(e -> e.installed() && e.repository().equals(entry.repository()));
        Repository added = features.getRepository(repository);
        if (!stillWanted && added != null && !anyInstalled(added)) {
            features.removeRepository(repository, false);
        }
    }

    /** Whether a feature of the repository is installed: then it stays (it may be the distribution's own). */
    private boolean anyInstalled(Repository repository) throws Exception {
        for (Feature feature : repository.getFeatures()) {
            if (features.isInstalled(feature)) {
                return true;
            }
        }
        return false;
    }
}
