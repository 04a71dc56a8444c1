package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.osgi.framework.Bundle;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.store.SettingsStore;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The connector kit from the outside: examples/acme-connector, a separate Maven project built from the archetype
 * against the BOM only (the itests' build runs it first), hot-deployed by dropping its jar into the running
 * distribution's {@code deploy/} folder, as CONNECTORS.md tells a connector author to. And what a connector may
 * not do: resolve against the core's plumbing, or see another connector's settings.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorKitIT extends DooneFlowTestSupport {

    private static final String TYPE = "acme.echo";
    private static final String BUNDLE = "com.acme.acme-connector";
    private static final String TWILIO = "com.dooneflow.connector.twilio";

    /** The core's view of every connector's settings, to look behind the bundle-scoped service. */
    @Inject
    SettingsStore allSettings;

    @Configuration
    public Option[] config() {
        List<Option> options = ownerOnPostgres(postgresDatabaseOfThisClass());
        // The jar the example's own build made; the container copies it into its deploy/ folder.
        options.add(systemProperty("dooneflow.it.acme.jar").value(System.getProperty("dooneflow.it.acme.jar")));
        return distribution(options.toArray(new Option[0]));
    }

    @Test
    public void aJarDroppedIntoDeployBringsItsTypeWithItsParametersAndItsWorkflowsRun() throws Exception {
        String org = ownersOrganization();
        deploy();

        JsonNode echo = awaitInstalled();
        assertEquals("action", echo.path("kind").asText());
        JsonNode text = echo.path("parameters").path(0);
        assertEquals("text", text.path("name").asText());
        assertTrue(text.path("required").asBoolean());
        assertTrue(text.path("templatable").asBoolean());
        JsonNode times = echo.path("parameters").path(1);
        assertEquals("times", times.path("name").asText());
        assertEquals("integer", times.path("type").asText());
        assertEquals(1, times.path("min").asInt());
        assertEquals(5, times.path("max").asInt());
        assertEquals(1, times.path("defaultValue").asInt());
        assertEquals("echo", echo.path("outputs").path(0).path("name").asText());
        assertTrue(echo.toString(), echo.path("running").asBoolean());
        assertEquals(BUNDLE + " 1.0.0.SNAPSHOT", echo.path("bundle").asText());
        // The distribution's own connectors describe their settings pages the same way, for the console.
        List<String> pages = new ArrayList<>();
        get("/v1/connectors", OWNER_TOKEN).json().path("settings").forEach(p -> {
            assertTrue(p.toString(), p.path("running").asBoolean());
            pages.add(p.path("id").asText());
        });
        assertTrue(pages.toString(), pages.containsAll(List.of("twilio", "salesforce", "email")));

        // Its declared range is enforced at save, like the platform's own connectors' constraints.
        Reply refused = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, workflow("acme-range", 9));
        assertEquals(refused.body(), 422, refused.status());
        assertContains(refused.json().path("errors").toString(), "actions[0].params.times");

        createWorkflow(org, "acme-run", 3);
        String id = fire("acme-run", "Ann");
        JsonNode execution = awaitExecution(org, id, "succeeded");
        assertEquals("Hi Ann! Hi Ann! Hi Ann! ", execution.path("steps").path(0).path("output").path("echo").asText());
    }

    @Test
    public void whileTheJarIsOutOfDeployItsExecutionsWaitAndWhenItIsBackTheyComplete() throws Exception {
        String org = ownersOrganization();
        deploy();
        awaitInstalled();
        createWorkflow(org, "acme-wait", 2);

        Files.delete(deployed());
        Awaitility.await("acme.echo gone from GET /v1/connectors").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).until(() -> !actionTypes().contains(TYPE));
        List<String> ids = new ArrayList<>();
        for (String name : List.of("Bo", "Cy")) {
            ids.add(fire("acme-wait", name));
        }
        for (String id : ids) {
            JsonNode waiting = awaitExecution(org, id, "waiting");
            assertEquals(TYPE, waiting.path("waitingFor").asText());
        }

        deploy();
        assertEquals("Hi Bo! Hi Bo! ", awaitExecution(org, ids.get(0), "succeeded").path("steps").path(0)
                .path("output").path("echo").asText());
        assertEquals("Hi Cy! Hi Cy! ", awaitExecution(org, ids.get(1), "succeeded").path("steps").path(0)
                .path("output").path("echo").asText());
    }

    @Test
    public void whileTheBundleIsStoppedItsTypeIsKnownFromItsFileItsWorkflowsSaveAndItsExecutionsWait()
            throws Exception {
        String org = ownersOrganization();
        deploy();
        awaitInstalled();
        Bundle acme = Arrays.stream(bundleContext.getBundles()).filter(b -> BUNDLE.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();

        acme.stop();
        JsonNode stopped = awaitInstalled(false);
        assertEquals("echo", stopped.path("outputs").path(0).path("name").asText());
        assertContains(stopped.path("problem").asText(), "is stopped");
        assertContains(get("/v1/health", null).json().path("connectorsNotRunning").toString(), TYPE);
        // Saved against the descriptor file, with its constraints: the handler is not needed for that.
        Reply refused = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, workflow("acme-stopped-range", 0));
        assertEquals(refused.body(), 422, refused.status());
        assertContains(refused.json().path("errors").toString(), "actions[0].params.times");
        createWorkflow(org, "acme-stopped", 1);
        String id = fire("acme-stopped", "Di");
        assertEquals(TYPE, awaitExecution(org, id, "waiting").path("waitingFor").asText());

        acme.start();
        assertEquals("Hi Di! ", awaitExecution(org, id, "succeeded").path("steps").path(0).path("output")
                .path("echo").asText());
        assertTrue(awaitInstalled(true).path("problem").isNull());
    }

    @Test
    public void aBundleOutsideTheCoreDoesNotResolveAgainstTheCorePlumbingEvenWhenItAsksForIt() throws Exception {
        Bundle plain = install("com.acme.plain-store", "com.dooneflow.api.store");
        Bundle asking = install("com.acme.asking-store", "com.dooneflow.api.store;dooneflow=core");
        try {
            FrameworkWiring wiring = bundleContext.getBundle(0).adapt(FrameworkWiring.class);
            assertFalse(wiring.resolveBundles(List.of(plain)));
            assertEquals(Bundle.INSTALLED, plain.getState());
            // The mandatory attribute alone let this one through; the resolver hook of the core does not.
            assertFalse(wiring.resolveBundles(List.of(asking)));
            assertEquals(Bundle.INSTALLED, asking.getState());
            try {
                asking.start();
                fail("a connector importing com.dooneflow.api.store;dooneflow=core started");
            } catch (BundleException e) {
                assertContains(e.getMessage(), "com.dooneflow.api.store");
            }
            Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
            // bundle:diag does not consult resolver hooks (it lists no unsatisfied requirement); the log says why.
            Awaitility.await("the refusal in karaf.log").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Files.readString(log).contains("Bundle com.acme.asking-store 1.0.0 imports "
                            + "com.dooneflow.api.store, the core's plumbing"));
        } finally {
            plain.uninstall();
            asking.uninstall();
        }
    }

    @Test
    public void aResourceWithoutDooneFlowsAuthenticationIsNotServed() throws Exception {
        Bundle acme = install("com.acme.resources", "com.dooneflow.api");
        acme.start();
        try {
            // Registered by the connector's bundle, as its DS component would be: one plain, one as
            // @DooneFlowResource marks it.
            acme.getBundleContext().registerService(Object.class, new PlainResource(),
                    new Hashtable<>(Map.of("osgi.jaxrs.resource", true)));
            acme.getBundleContext().registerService(Object.class, new MarkedResource(), new Hashtable<>(Map.of(
                    "osgi.jaxrs.resource", true, "osgi.jaxrs.extension.select", new String[] {
                            "(osgi.jaxrs.name=dooneflow.json)", "(osgi.jaxrs.name=dooneflow.auth)"})));

            // The marked one is served, behind authentication: so the whiteboard has seen both by now.
            Awaitility.await("the marked resource served").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> get("/v1/it-kit-marked", OWNER_TOKEN).status() == 200);
            assertEquals(401, get("/v1/it-kit-marked", null).status());
            assertEquals(404, get("/v1/it-kit-plain", null).status());
            assertEquals(404, get("/v1/it-kit-plain", OWNER_TOKEN).status());
            Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
            Awaitility.await("the warning in karaf.log").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Files.readString(log).contains("of bundle com.acme.resources 1.0.0 is not served: it "
                            + "does not require DooneFlow's authentication. Mark its component @DooneFlowResource"));
        } finally {
            acme.uninstall();
        }
    }

    /** A connector's resource as written without {@code @DooneFlowResource}. */
    @javax.ws.rs.Path("v1/it-kit-plain")
    public static class PlainResource {
        @javax.ws.rs.GET
        public String hello() {
            return "served without authentication";
        }
    }

    @javax.ws.rs.Path("v1/it-kit-marked")
    public static class MarkedResource {
        @javax.ws.rs.GET
        @javax.ws.rs.Produces("application/json")
        public Map<String, String> hello() {
            return Map.of("served", "behind authentication");
        }
    }

    @Test
    public void aConnectorsSettingsAreVisibleOnlyToIt() throws Exception {
        String org = ownersOrganization();
        Reply twilio = call("PUT", "/v1/organizations/" + org + "/integrations/twilio", OWNER_TOKEN,
                "{\"accountSid\":\"AC" + "0123456789abcdef".repeat(2) + "\",\"authToken\":\"kit-token\","
                        + "\"phoneNumber\":\"+14155552671\"}");
        assertEquals(twilio.body(), 200, twilio.status());
        // The Twilio connector keeps its account under its bundle's symbolic name.
        List<SettingsEntry> twilioEntries = allSettings.list(org, TWILIO);
        assertEquals(1, twilioEntries.size());

        Bundle acme = install("com.acme.settings-" + UUID.randomUUID(), "com.dooneflow.api");
        Bundle other = install("com.other.settings-" + UUID.randomUUID(), "com.dooneflow.api");
        try {
            acme.start();
            other.start();
            ConnectorSettings acmeSettings = settingsOf(acme);
            ConnectorSettings otherSettings = settingsOf(other);
            SettingsEntry mine = acmeSettings.save(org, "account", Map.of("region", "eu"), Map.of("apiKey", "acme-key"));

            assertEquals(acme.getSymbolicName(), mine.connector());
            assertEquals("acme-key", acmeSettings.secret(mine, "apiKey").orElseThrow());
            assertEquals(List.of(mine.id()), acmeSettings.list(org).stream().map(SettingsEntry::id).toList());
            assertTrue(otherSettings.list(org).isEmpty());
            assertTrue(otherSettings.findByName(org, "account").isEmpty());
            assertTrue(otherSettings.get(org, mine.id()).isEmpty());
            assertTrue(otherSettings.secret(mine, "apiKey").isEmpty());
            assertFalse(otherSettings.delete(org, mine.id()));
            SettingsEntry twilioAccount = twilioEntries.get(0);
            assertTrue(acmeSettings.get(org, twilioAccount.id()).isEmpty());
            assertTrue(acmeSettings.secret(twilioAccount, "authToken").isEmpty());
            assertTrue(acmeSettings.listAll().stream().noneMatch(e -> e.connector().equals(TWILIO)));
        } finally {
            acme.uninstall();
            other.uninstall();
        }
    }

    // ---- helpers ----

    /** Where the jar goes: deploy/ of this Karaf, watched by Felix File Install. */
    private static Path deployed() {
        Path jar = Paths.get(System.getProperty("dooneflow.it.acme.jar"));
        return Paths.get(System.getProperty("karaf.base"), "deploy").resolve(jar.getFileName());
    }

    /** Copies the jar in beside deploy/, then moves it in at once, so File Install never sees half a jar. */
    private static void deploy() throws Exception {
        Path jar = Paths.get(System.getProperty("dooneflow.it.acme.jar"));
        assertTrue("the example's build made " + jar, Files.isRegularFile(jar));
        if (Files.exists(deployed())) {
            return;
        }
        Path staged = Files.copy(jar, Paths.get(System.getProperty("karaf.data"), jar.getFileName() + ".tmp"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, deployed(), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A bundle of nothing but a manifest that imports {@code imports}, as a connector's would. */
    private Bundle install(String symbolicName, String imports) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
        main.putValue(Constants.IMPORT_PACKAGE, imports);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        return bundleContext.installBundle("it:" + symbolicName, new ByteArrayInputStream(jar.toByteArray()));
    }

    /** The settings service as {@code bundle} gets it: bundle-scoped, so its own instance. */
    private static ConnectorSettings settingsOf(Bundle bundle) {
        AtomicReference<ServiceReference<ConnectorSettings>> ref = new AtomicReference<>();
        Awaitility.await("ConnectorSettings for " + bundle.getSymbolicName()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    ref.set(bundle.getBundleContext().getServiceReference(ConnectorSettings.class));
                    return ref.get() != null;
                });
        return bundle.getBundleContext().getService(ref.get());
    }

    /** The acme.echo type as {@code GET /v1/connectors} lists it, once it does and its handler runs. */
    private static JsonNode awaitInstalled() {
        return awaitInstalled(true);
    }

    /** The acme.echo type as {@code GET /v1/connectors} lists it, once it does with this running state. */
    private static JsonNode awaitInstalled(boolean running) {
        AtomicReference<JsonNode> type = new AtomicReference<>();
        Awaitility.await("acme.echo in GET /v1/connectors, running: " + running).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    type.set(null);
                    get("/v1/connectors", OWNER_TOKEN).json().path("actions").forEach(a -> {
                        if (TYPE.equals(a.path("type").asText()) && a.path("running").asBoolean() == running) {
                            type.set(a);
                        }
                    });
                    return type.get() != null;
                });
        return type.get();
    }

    private static List<String> actionTypes() {
        List<String> types = new ArrayList<>();
        get("/v1/connectors", OWNER_TOKEN).json().path("actions").forEach(a -> types.add(a.path("type").asText()));
        return types;
    }

    private static String workflow(String name, int times) {
        return "{\"name\":\"" + name + "\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"it-" + name
                + "\",\"authentication\":\"none\"}},\"actions\":[{\"type\":\"" + TYPE + "\",\"params\":"
                + "{\"text\":\"Hi {contact_name}! \",\"times\":" + times + "}}]}";
    }

    private static void createWorkflow(String org, String name, int times) {
        Reply r = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, workflow(name, times));
        assertEquals(r.body(), 201, r.status());
    }

    /** Posts the webhook of workflow {@code name} and returns the execution it started. */
    private static String fire(String name, String contact) {
        Reply accepted = post("/webhook/it-" + name, null, "{\"name\":\"" + contact + "\"}");
        assertEquals(accepted.body(), 202, accepted.status());
        return accepted.json().path("executionIds").path(0).asText();
    }
}
