package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/** The zero-setup start: no database configured, no bootstrap token given. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformOnH2IT extends DooneFlowTestSupport {

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void startsOnEmbeddedH2AndHandsTheFirstOwnerAGeneratedToken() throws Exception {
        JsonNode health = awaitHealthy();
        assertEquals("UP", health.path("status").asText());
        assertEquals("h2", health.path("database").asText());

        Path data = Path.of(System.getProperty("karaf.data"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("initial-owner.txt"))));
        String file = Files.readString(data.resolve("initial-owner.txt"));
        String token = file.replaceAll("(?s).*token: (\\S+).*", "$1");
        assertEquals("owner@localhost", get("/v1/me", token).json().path("email").asText());

        Path key = Path.of(System.getProperty("karaf.etc")).resolve("dooneflow-master.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertContains(Files.readString(key), "=");

        Reply created = post("/v1/organizations", token, "{\"name\":\"Second\"}");
        assertEquals(201, created.status());
        assertEquals(2, get("/v1/organizations", token).json().path("items").size());
    }

    /**
     * The database service is registered only once Karaf has started its boot features: registering it starts most
     * REST resources on the database's thread, and a resource the JAX-RS whiteboard received from two threads at once
     * was never deployed (its map of services by name is a plain HashMap), leaving the node DOWN for good. Service ids
     * grow with each registration, so the order is the ids' order.
     */
    @Test
    public void theDatabaseIsRegisteredAfterKarafHasStartedItsBootFeatures() throws Exception {
        awaitHealthy();
        ServiceReference<?> boot = bundleContext.getServiceReference("org.apache.karaf.features.BootFinished");
        ServiceReference<?> database = bundleContext.getServiceReference("com.dooneflow.persistence.internal.Database");
        long bootId = (Long) boot.getProperty(Constants.SERVICE_ID);
        long databaseId = (Long) database.getProperty(Constants.SERVICE_ID);
        assertTrue("database service " + databaseId + " registered before BootFinished " + bootId, databaseId > bootId);
        // The connector provisioning, which starts more bundles, waits for this one, registered after the database.
        Collection<ServiceReference<Object>> started =
                bundleContext.getServiceReferences(Object.class, "(dooneflow.core.started=true)");
        assertEquals(1, started.size());
        assertTrue((Long) started.iterator().next().getProperty(Constants.SERVICE_ID) > databaseId);
    }

    /**
     * Liquibase is part of the persistence bundle, where Java's ServiceLoader finds its providers without SPI Fly, and
     * the first start migrates at its first attempt (Liquibase's root scope finds its services through the thread's
     * context class loader; without it the first attempt failed with "Cannot find default log service").
     */
    @Test
    public void theFirstStartMigratesAtItsFirstAttemptWithLiquibaseInsideThePersistenceBundle() throws Exception {
        awaitHealthy();
        for (Bundle bundle : bundleContext.getBundles()) {
            assertTrue("Liquibase is not a bundle of its own: " + bundle.getSymbolicName(),
                    !bundle.getSymbolicName().startsWith("org.liquibase"));
        }
        String log = Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
        assertContains(log, "DooneFlow database ready");
        assertContains(log, "ChangeSet db/changelog/001-platform.xml");
        assertTrue("the database start failed once", !log.contains("The database is not ready"));
    }

    /**
     * The settings come from the shipped {@code etc/com.dooneflow.cfg}, through fileinstall. When the features
     * service wrote that file at the first start instead (it marks what it creates with its config key), it raced
     * fileinstall, and keys written into the file before the start were sometimes lost.
     */
    @Test
    public void theSettingsAreTheShippedFileNotOneTheFeaturesServiceWrote() throws Exception {
        ServiceReference<ConfigurationAdmin> ref = bundleContext.getServiceReference(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration settings = bundleContext.getService(ref).getConfiguration("com.dooneflow", null);
        Dictionary<String, Object> properties = settings.getProperties();
        assertTrue("no com.dooneflow configuration", properties != null);
        assertEquals(null, properties.get("org.apache.karaf.features.configKey"));
        assertContains(String.valueOf(properties.get("felix.fileinstall.filename")), "/etc/com.dooneflow.cfg");
        assertContains(Files.readString(Path.of(System.getProperty("karaf.etc"), "com.dooneflow.cfg")),
                "# DooneFlow settings.");
    }

    /**
     * One Apache HttpClient generation in the distribution (5, which Twilio's SDK needs and every outbound call uses):
     * no bundle exports HttpClient 4, and none but Karaf's own (two keep a private copy for their internals) embeds it.
     */
    @Test
    public void noBundleCarriesASecondHttpClientGeneration() {
        List<String> found = new ArrayList<>();
        boolean five = false;
        for (Bundle b : bundleContext.getBundles()) {
            BundleWiring wiring = b.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (BundleCapability exported : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                if (String.valueOf(exported.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))
                        .startsWith("org.apache.http.")) {
                    found.add(b.getSymbolicName() + " exports " + exported.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE));
                }
            }
            if (!b.getSymbolicName().startsWith("org.apache.karaf.") && !wiring.listResources(
                    "org/apache/http/impl/client", "*.class", BundleWiring.LISTRESOURCES_LOCAL).isEmpty()) {
                found.add(b.getSymbolicName() + " " + b.getVersion() + " embeds it");
            }
            five |= !wiring.listResources("org/apache/hc/client5/http/impl/classic", "*.class",
                    BundleWiring.LISTRESOURCES_LOCAL).isEmpty();
        }
        assertEquals("bundles with HttpClient 4", List.of(), found);
        assertTrue("HttpClient 5 is installed", five);
    }
}
