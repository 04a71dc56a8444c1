package com.dooneflow.provisioning.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallationService;

/** The converger against a features service in memory that knows one repository with one feature. */
class ConnectorConvergerTest {

    private static final String REPOSITORY = "file:connectors/acme-features.xml";

    @TempDir
    Path home;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Installations installations = new Installations();
    private final FakeFeatures karaf = new FakeFeatures();

    /** What the database holds: the entries and every node's reports. */
    static final class Installations implements ConnectorInstallationService {
        final List<ConnectorInstallation> entries = new ArrayList<>();
        final List<String> reports = new ArrayList<>();
        long generation;

        void want(boolean installed) {
            generation++;
            entries.clear();
            entries.add(new ConnectorInstallation("acme-connector", REPOSITORY, null, installed, generation,
                    Instant.now(), List.of()));
        }

        public ConnectorInstallation install(String repository, String feature, String version, String by) {
            throw new UnsupportedOperationException();
        }

        public ConnectorInstallation uninstall(String feature, String by) {
            throw new UnsupportedOperationException();
        }

        public List<ConnectorInstallation> list() {
            return List.copyOf(entries);
        }

        public long generation() {
            return generation;
        }

        public void report(String nodeId, String feature, long gen, String state, String reason) {
            reports.add(nodeId + " " + feature + " " + gen + " " + state + (reason == null ? "" : ": " + reason));
        }
    }

    /** Karaf's features service, reduced to what the converger calls; {@code failures} installs fail first. */
    static final class FakeFeatures {
        final Set<URI> repositories = new LinkedHashSet<>();
        final Set<String> installed = new LinkedHashSet<>();
        final List<String> calls = new ArrayList<>();
        int failures;
        final Feature acme = feature("acme-connector", "1.0.0");

        final FeaturesService service = (FeaturesService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FeaturesService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRepository" -> repositories.contains((URI) args[0]) ? repository() : null;
                    case "addRepository" -> {
                        calls.add("addRepository");
                        repositories.add((URI) args[0]);
                        yield null;
                    }
                    case "removeRepository" -> {
                        calls.add("removeRepository");
                        repositories.remove((URI) args[0]);
                        yield null;
                    }
                    case "getFeature" -> !repositories.isEmpty() && args[0].equals("acme-connector") ? acme : null;
                    case "isInstalled" -> installed.contains(((Feature) args[0]).getName());
                    case "installFeature" -> {
                        calls.add("install " + args[0] + "/" + args[1]);
                        if (failures > 0) {
                            failures--;
                            throw new Exception("Unable to resolve acme-connector/1.0.0: missing requirement "
                                    + "osgi.wiring.package=com.acme.client");
                        }
                        installed.add((String) args[0]);
                        yield null;
                    }
                    case "uninstallFeature" -> {
                        calls.add("uninstall " + args[0] + "/" + args[1]);
                        installed.remove((String) args[0]);
                        yield null;
                    }
                    case "listInstalledFeatures" -> installed.contains("acme-connector") ? new Feature[] {acme}
                            : new Feature[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        private Repository repository() {
            return (Repository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Repository.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getFeatures")) {
                            return new Feature[] {acme};
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        private static Feature feature(String name, String version) {
            return (Feature) Proxy.newProxyInstance(FakeFeatures.class.getClassLoader(), new Class<?>[] {Feature.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getName" -> name;
                        case "getVersion" -> version;
                        case "toString" -> name + "/" + version;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private ConnectorConverger converger() {
        return new ConnectorConverger(karaf.service, installations, "node-1", home, now::get);
    }

    @Test
    void installsWhatIsWantedOnceAndUninstallsItWhenItIsRemoved() {
        ConnectorConverger converger = converger();
        installations.want(true);

        converger.converge();
        converger.converge(); // nothing changed: nothing done, nothing reported again

        assertThat(karaf.installed).containsExactly("acme-connector");
        assertThat(karaf.calls).containsExactly("addRepository", "install acme-connector/1.0.0");
        assertThat(installations.reports).containsExactly("node-1 acme-connector 1 installed");

        installations.want(false);
        converger.converge();

        assertThat(karaf.installed).isEmpty();
        assertThat(karaf.repositories).as("no other entry wants the repository").isEmpty();
        assertThat(installations.reports).endsWith("node-1 acme-connector 2 removed");
    }

    @Test
    void aFailedInstallIsReportedWithItsReasonAndTriedAgainAfterAMinute() {
        ConnectorConverger converger = converger();
        karaf.failures = 1;
        installations.want(true);

        converger.converge();
        assertThat(installations.reports).containsExactly("node-1 acme-connector 1 failed: Unable to resolve "
                + "acme-connector/1.0.0: missing requirement osgi.wiring.package=com.acme.client");

        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        converger.converge();
        assertThat(installations.reports).as("not before a minute").hasSize(1);

        now.addAndGet(TimeUnit.SECONDS.toNanos(31));
        converger.converge();
        assertThat(installations.reports).endsWith("node-1 acme-connector 1 installed");
        assertThat(karaf.installed).containsExactly("acme-connector");
    }
}
