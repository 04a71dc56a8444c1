package com.dooneflow.testing.karaf;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.Rule;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Boots the real DooneFlow distribution in Pax Exam and talks to it over HTTP like any client. The
 * configuration methods run in the test JVM; the tests run inside the distribution, where this class comes from
 * this artifact's bundle ({@link #distribution} installs it).
 * <p>
 * A test class extends this class, runs with {@code @RunWith(PaxExam.class)}, and returns {@link #distribution}
 * from its {@code @Configuration} method, with options such as {@link #knownOwnerToken()} (the first owner gets
 * {@link #OWNER_TOKEN}), {@link #ownerOnPostgres} on a fresh database, or {@link #connectorBundle()} (the connector
 * that the build just made). System properties it reads in the test JVM: {@code maven.repo.local} (where the
 * distribution and the test bundles are found; default {@code ~/.m2/repository}), {@code dooneflow.distribution} (a
 * distribution zip to boot instead of the one of this artifact's version), {@code dooneflow.connector.jar},
 * {@code dooneflow.it.keep} (keep the unpacked distribution under {@code target/exam}) and
 * {@code dooneflow.it.pg.host}/{@code .port}/{@code .user} (the PostgreSQL server, default 127.0.0.1:5432,
 * postgres).
 */
public abstract class DooneFlowTestSupport {

    /** Chosen in the test JVM and handed to the container, where the tests read it back. */
    public static final String OWNER_TOKEN = System.getProperty("dooneflow.it.owner-token", "it-owner-token-" + UUID.randomUUID());
    public static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessions;

    /**
     * The probe imports whatever it uses; the core's plumbing ({@code com.dooneflow.api.store}) is exported only to
     * bundles that ask for it by its mandatory attribute, so the probe asks, as the engine and the console do. The
     * core's resolver hook also lets only the core bundles wire to it; {@link #distribution} names the probe there.
     */
    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader(Constants.DYNAMICIMPORT_PACKAGE, "com.dooneflow.api.store;dooneflow=core,*");
        return probe;
    }

    /** Runs a console command as an administrator would and returns what it printed. */
    protected String console(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true);
        Session session = sessions.create(System.in, out, out);
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(result);
            }
        } finally {
            session.close();
        }
        return bytes.toString();
    }

    /** On a failure, print the DS components that are not active and why: most OSGi puzzles end there. */
    @Rule
    public final TestWatcher unsatisfied = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            ServiceReference<ServiceComponentRuntime> ref = bundleContext.getServiceReference(ServiceComponentRuntime.class);
            if (ref == null) {
                return;
            }
            ServiceComponentRuntime scr = bundleContext.getService(ref);
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                // DooneFlow's and the connector's under test; Karaf's own are not the puzzle.
                if (d.name.startsWith("org.apache.") || d.name.startsWith("org.ops4j.")) {
                    continue;
                }
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        System.err.println("Unsatisfied component " + d.name + ": "
                                + Arrays.toString(Arrays.stream(c.unsatisfiedReferences).map(r -> r.name + " " + r.target).toArray())
                                + (c.failure == null ? "" : " failure: " + c.failure));
                    }
                }
            }
        }
    };

    /** The options every test class shares; {@code extra} adds database settings and such. */
    public static Option[] distribution(Option... extra) {
        int port = freePort();
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(distributionZip().toUri().toString())
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(port)),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        localRepository().toString()),
                systemProperty("dooneflow.it.port").value(String.valueOf(port)),
                // The probe's tests look behind the services at the core's plumbing (PlumbingResolverHook).
                systemProperty("dooneflow.plumbing.bundles").value("PAXEXAM-PROBE-*"),
                // Generous on a busy 2-core machine: the probe waits for the container's services.
                systemProperty("pax.exam.service.timeout").value("120000"),
                // The extender gives the test probe 10 s to find its invoker; a busy machine installs the invoker
                // later than that, and the test then waits forever for a probe that never registers.
                systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("120000"),
                mavenBundle("org.hamcrest", "hamcrest", "2.1"),
                mavenBundle("org.awaitility", "awaitility", "4.2.2"),
                // This class and its helpers, for the tests that run in the distribution.
                supportBundle()));
        if (Boolean.getBoolean("dooneflow.it.keep")) {
            options.add(keepRuntimeFolder());
        }
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    /** The Maven repository the distribution and the test bundles are taken from. */
    public static Path localRepository() {
        return Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
    }

    /** The DooneFlow version this support belongs to (that of the distribution it boots by default). */
    public static String dooneflowVersion() {
        Properties properties = new Properties();
        try (InputStream in = DooneFlowTestSupport.class.getResourceAsStream("version.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("version.properties is missing beside " + DooneFlowTestSupport.class, e);
        }
        return properties.getProperty("version");
    }

    /**
     * The zip named by {@code dooneflow.distribution} (our own build: the one it just made), or else the distribution
     * of {@link #dooneflowVersion()} in the local repository, where Maven put it as a dependency of this artifact.
     */
    static Path distributionZip() {
        String named = System.getProperty("dooneflow.distribution");
        String version = dooneflowVersion();
        Path zip = named != null ? Path.of(named) : localRepository().resolve("com/dooneflow/dooneflow-distribution")
                .resolve(version).resolve("dooneflow-distribution-" + version + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no DooneFlow distribution at " + zip + " (set maven.repo.local to the"
                    + " build's local repository, or dooneflow.distribution to a distribution zip)");
        }
        return zip;
    }

    /** This artifact as a bundle of the distribution: the jar (or classes folder) the test JVM loaded it from. */
    static Option supportBundle() {
        try {
            Path location = Path.of(DooneFlowTestSupport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String url = location.toUri().toString();
            return bundle(Files.isDirectory(location) ? "reference:" + url : url);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The connector under test, installed and started with the distribution: the bundle jar named by the system
     * property {@code dooneflow.connector.jar} (a connector's build sets it to the jar it just packaged).
     */
    public static Option connectorBundle() {
        String jar = System.getProperty("dooneflow.connector.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("dooneflow.connector.jar names no jar: " + jar
                    + " (run the test with mvn verify, after the package phase)");
        }
        return bundle(Path.of(jar).toUri().toString());
    }

    /** The first owner gets {@link #OWNER_TOKEN} instead of a generated token. */
    public static Option[] knownOwnerToken() {
        return new Option[] {
                editConfigurationFilePut("etc/com.dooneflow.cfg", ".bootstrap.token", OWNER_TOKEN),
                systemProperty("dooneflow.it.owner-token").value(OWNER_TOKEN),
                editConfigurationFilePut("etc/com.dooneflow.cfg", "bootstrap.email", "owner@it.example")};
    }

    /** The known owner on the PostgreSQL database at {@code url}; a test adds its own options to the list. */
    public static List<Option> ownerOnPostgres(String url) {
        List<Option> options = new ArrayList<>(List.of(knownOwnerToken()));
        options.add(editConfigurationFilePut("etc/com.dooneflow.cfg", "db.url", url));
        options.add(editConfigurationFilePut("etc/com.dooneflow.cfg", "db.user", "postgres"));
        return options;
    }

    /** Adds a stub to the WireMock sink at {@code sink} through its admin API. */
    public static void stubSink(String sink, String mapping) {
        Reply r = callUrl("POST", sink + "/__admin/mappings", mapping);
        assertEquals(r.body(), 201, r.status());
    }

    /** The requests the WireMock sink at {@code sink} received for {@code url}. */
    public static List<JsonNode> sinkRequests(String sink, String url) {
        JsonNode all = callUrl("GET", sink + "/__admin/requests", null).json().path("requests");
        List<JsonNode> matching = new ArrayList<>();
        all.forEach(r -> {
            if (url.equals(r.path("request").path("url").asText())) {
                matching.add(r.path("request"));
            }
        });
        return matching;
    }

    /** Outbound calls may reach loopback, where the tests' peers listen: only because an administrator allowed it. */
    public static Option loopbackAllowed() {
        return editConfigurationFilePut("etc/com.dooneflow.cfg", "outboundAllowlist", "127.0.0.1/32");
    }

    /** The database of each test class's distribution, by class. */
    private static final Map<Class<?>, String> BY_CLASS = new HashMap<>();

    /**
     * The fresh database of the calling test class's distribution, made on the first call: for a {@code
     * @Configuration} method, which Pax Exam may call more than once for one class (PAXEXAM-848), so that the class
     * and its distribution have one database.
     */
    public static synchronized String postgresDatabaseOfThisClass() {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        String url = BY_CLASS.get(caller);
        if (url == null) {
            url = freshPostgresDatabase();
            BY_CLASS.put(caller, url);
        }
        return url;
    }

    /**
     * A fresh PostgreSQL database for this run. Its name carries its creation time, so databases that earlier
     * runs left behind (a killed build) are dropped once they are an hour old, never those of a run going on. The
     * databases of this JVM are dropped when it ends, not before: Pax Exam may call a class's configuration method
     * (which makes its database) long before the class runs, while other classes run.
     */
    public static synchronized String freshPostgresDatabase() {
        String host = System.getProperty("dooneflow.it.pg.host", "127.0.0.1");
        String port = System.getProperty("dooneflow.it.pg.port", "5432");
        String user = System.getProperty("dooneflow.it.pg.user", "postgres");
        long now = System.currentTimeMillis() / 1000;
        String name = "dooneflow_it_" + now + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
             Statement s = c.createStatement()) {
            List<String> stale = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select datname from pg_database where datname like 'dooneflow_it_%'")) {
                while (rs.next()) {
                    String[] parts = rs.getString(1).split("_");
                    if (parts.length == 4 && parts[2].matches("\\d+") && now - Long.parseLong(parts[2]) > 3600) {
                        stale.add(rs.getString(1));
                    }
                }
            }
            for (String db : stale) {
                s.execute("drop database if exists " + db + " with (force)");
            }
            s.execute("create database " + name);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " is required for the itests: " + e, e);
        }
        // Dropped when the test JVM ends (the distribution using it has stopped by then).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
                 Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            } catch (Exception e) {
                System.err.println("could not drop " + name + ": " + e);
            }
        }));
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** Ports handed out by this JVM: a distribution configured early may not bind its port until much later. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    /**
     * Below the ephemeral range (32768 and up on Linux, 49152 and up elsewhere), where the system picks the local port
     * of every outgoing connection: a port chosen there was sometimes taken by one before the distribution bound it.
     */
    private static final int FIRST_PORT = 20000;
    private static final int LAST_PORT = 32767;

    /** A port free now that this JVM has not handed out before, outside the range outgoing connections take. */
    public static synchronized int freePort() {
        for (int tries = 0; tries < 1000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT + 1);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                HANDED_OUT.add(port);
                return port;
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT);
    }

    // ---- assertions on text (the probe sees JUnit's old hamcrest, so no Matchers) ----

    public static void assertContains(String text, String part) {
        if (text == null || !text.contains(part)) {
            throw new AssertionError("expected to contain <" + part + "> but was: " + text);
        }
    }

    public static void assertNotContains(String text, String part) {
        if (text != null && text.contains(part)) {
            throw new AssertionError("expected not to contain <" + part + "> but was: " + text);
        }
    }

    public static void assertStartsWith(String text, String prefix) {
        if (text == null || !text.startsWith(prefix)) {
            throw new AssertionError("expected to start with <" + prefix + "> but was: " + text);
        }
    }

    // ---- HTTP, as a client sees the API ----

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer: status, content type and body as text. */
    public record Reply(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                // The body in the message, no cause: Pax Exam reports a failure's innermost exception, hiding this one.
                throw new AssertionError("not JSON (" + e.getMessage() + "): " + body);
            }
        }
    }

    public static String base() {
        return "http://127.0.0.1:" + System.getProperty("dooneflow.it.port");
    }

    public static Reply call(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b, method, jsonBody);
    }

    /** A request to a full URL (a sink's admin API). */
    public static Reply callUrl(String method, String url, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(url)), method, jsonBody);
    }

    public static Reply callWithHeaders(String method, String path, String jsonBody, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
        headers.forEach(b::header);
        return send(b, method, jsonBody);
    }

    private static Reply send(HttpRequest.Builder b, String method, String jsonBody) {
        b.timeout(Duration.ofSeconds(20));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            return new Reply(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Reply get(String path, String token) {
        return call("GET", path, token, null);
    }

    public static Reply post(String path, String token, String json) {
        return call("POST", path, token, json);
    }

    /** {@code POST /v1/organizations/{org}/members}: invites {@code email}; the answer carries the accept token. */
    public static Reply invite(String org, String token, String email, String role) {
        return post("/v1/organizations/" + org + "/members", token, "{\"email\":" + JSON.valueToTree(email)
                + ",\"role\":" + JSON.valueToTree(role) + "}");
    }

    /** {@code POST /v1/invitations/accept} with an accept token, as {@code token}'s user (or anonymously when null). */
    public static Reply accept(String acceptToken, String token) {
        return post("/v1/invitations/accept", token, "{\"token\":" + JSON.valueToTree(acceptToken) + "}");
    }

    /**
     * Someone without an account joins {@code org}: invited by the owner, accepted with the accept token alone.
     * Returns their first API token, which works in {@code org} only.
     */
    public static String newMember(String org, String email, String role) {
        Reply invited = invite(org, OWNER_TOKEN, email, role);
        if (invited.status() != 201) {
            throw new AssertionError("invite " + email + ": " + invited.status() + " " + invited.body());
        }
        Reply accepted = accept(invited.json().path("acceptToken").asText(), null);
        if (accepted.status() != 200) {
            throw new AssertionError("accept " + email + ": " + accepted.status() + " " + accepted.body());
        }
        return accepted.json().path("token").path("token").asText();
    }

    /** The first owner's organization (the one the first start creates), once the distribution is healthy. */
    public static String ownersOrganization() {
        awaitHealthy();
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }

    /**
     * The trigger or action type {@code type} as {@code GET /v1/connectors} lists it, once it does with its handler
     * running: a connector is usable once this returns.
     */
    public static JsonNode awaitConnectorType(String type) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        AtomicReference<Reply> last = new AtomicReference<>();
        try {
            // Generous: a busy build machine may take a minute to start a freshly installed bundle's components.
            Awaitility.await(type + " running in GET /v1/connectors").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        last.set(get("/v1/connectors", OWNER_TOKEN));
                        found.set(null);
                        if (last.get().status() != 200) {
                            return false;
                        }
                        for (String kind : List.of("actions", "triggers")) {
                            last.get().json().path(kind).forEach(t -> {
                                if (type.equals(t.path("type").asText()) && t.path("running").asBoolean()) {
                                    found.set(t);
                                }
                            });
                        }
                        return found.get() != null;
                    });
        } catch (ConditionTimeoutException e) {
            // Say why in the failure itself: a build log often shows only this line. No cause: Pax Exam reports
            // the innermost exception of a failure, which would hide this message.
            throw new AssertionError(type + " is not running within 3 minutes; last GET /v1/connectors: " + last.get()
                    + "; bundles not active: " + inactiveBundles());
        }
        return found.get();
    }

    /** Bundles (not fragments) of the container that are not active, with their state: where a missing type hides. */
    static List<String> inactiveBundles() {
        List<String> inactive = new ArrayList<>();
        Bundle self = FrameworkUtil.getBundle(DooneFlowTestSupport.class);
        if (self == null) {
            return inactive;
        }
        for (Bundle b : self.getBundleContext().getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                inactive.add(b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState());
            }
        }
        return inactive;
    }

    /** The execution (with its steps) once its status is {@code status}: queued, running, waiting, succeeded, failed. */
    public static JsonNode awaitExecution(String org, String executionId, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        Awaitility.await("execution " + executionId + " " + status).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    last.set(get("/v1/organizations/" + org + "/executions/" + executionId, OWNER_TOKEN).json());
                    return status.equals(last.get().path("status").asText());
                });
        return last.get();
    }

    /**
     * Waits until {@code GET /v1/health} answers 200: the database is migrated and every route is served (the
     * health check waits for the whiteboards, which deploy the routes one by one while the distribution starts).
     */
    public static JsonNode awaitHealthy() {
        AtomicReference<JsonNode> health = new AtomicReference<>();
        try {
            Awaitility.await("GET /v1/health = 200").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                        Reply reply = get("/v1/health", null);
                        health.set(reply.json());
                        return reply.status() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            // What the node waits for is the first thing a failed run needs; the build's summary shows only this line.
            throw new AssertionError("not healthy within 90 s; the last /v1/health said " + health.get(), e);
        }
        return health.get();
    }
}
