package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.osgi.framework.Bundle;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The connector kit from the outside: examples/acme-connector, a separate Maven project built from the archetype
 * against the BOM only (the itests' build runs it first), hot-deployed by dropping its jar into the running
 * distribution's {@code deploy/} folder, as CONNECTORS.md tells a connector author to.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConnectorKitIT extends DooneFlowTestSupport {

    private static final String TYPE = "acme.echo";
    private static final String BUNDLE = "com.acme.acme-connector";

    @Configuration
    public Option[] config() {
        List<Option> options = ownerOnPostgres(freshPostgresDatabase());
        // The jar the example's own build made; the container copies it into its deploy/ folder.
        options.add(systemProperty("dooneflow.it.acme.jar").value(System.getProperty("dooneflow.it.acme.jar")));
        return distribution(options.toArray(new Option[0]));
    }

    @Test
    public void aJarDroppedIntoDeployBringsItsTypeWithItsParametersAndItsWorkflowsRun() throws Exception {
        String org = setUp();
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
        JsonNode execution = awaitStatus(org, id, "succeeded");
        assertEquals("Hi Ann! Hi Ann! Hi Ann! ", execution.path("steps").path(0).path("output").path("echo").asText());
    }

    @Test
    public void whileTheJarIsOutOfDeployItsExecutionsWaitAndWhenItIsBackTheyComplete() throws Exception {
        String org = setUp();
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
            JsonNode waiting = awaitStatus(org, id, "waiting");
            assertEquals(TYPE, waiting.path("waitingFor").asText());
        }

        deploy();
        assertEquals("Hi Bo! Hi Bo! ", awaitStatus(org, ids.get(0), "succeeded").path("steps").path(0)
                .path("output").path("echo").asText());
        assertEquals("Hi Cy! Hi Cy! ", awaitStatus(org, ids.get(1), "succeeded").path("steps").path(0)
                .path("output").path("echo").asText());
    }

    @Test
    public void whileTheBundleIsStoppedItsTypeIsKnownFromItsFileItsWorkflowsSaveAndItsExecutionsWait()
            throws Exception {
        String org = setUp();
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
        assertEquals(TYPE, awaitStatus(org, id, "waiting").path("waitingFor").asText());

        acme.start();
        assertEquals("Hi Di! ", awaitStatus(org, id, "succeeded").path("steps").path(0).path("output")
                .path("echo").asText());
        assertTrue(awaitInstalled(true).path("problem").isNull());
    }

    // ---- helpers ----

    private static String setUp() {
        awaitHealthy();
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }

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

    private static JsonNode awaitStatus(String org, String executionId, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await("execution " + executionId + " " + status).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    last.set(get("/v1/organizations/" + org + "/executions/" + executionId, OWNER_TOKEN).json());
                    return status.equals(last.get().path("status").asText());
                });
        return last.get();
    }
}
