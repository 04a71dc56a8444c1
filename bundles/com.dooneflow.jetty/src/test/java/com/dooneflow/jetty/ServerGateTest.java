package com.dooneflow.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.FilterMapping;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Jetty server set up as pax-web 8 sets up its own: its handler first, then the fragment's jetty.xml; one servlet
 * context at "/" whose servlet answers "served" (the whiteboards' servlets, deployed before the start gate).
 */
class ServerGateTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Server server;
    private ServletContextHandler context;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("served");
            }
        }), "/*");
        server.setHandler(new ContextHandlerCollection(context));
        XmlConfiguration xml = new XmlConfiguration(
                Resource.newResource(ServerGate.class.getResource("/jetty.xml")));
        xml.getIdMap().put("Server", server);
        xml.configure();
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postWebhook() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A filter that passes every request on, registered in the context under a name. */
    private void registerFilter(String name) {
        FilterHolder filter = new FilterHolder(new Filter() {
            @Override
            public void init(FilterConfig config) {
            }

            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                chain.doFilter(request, response);
            }

            @Override
            public void destroy() {
            }
        });
        filter.setName(name);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    @Test
    void theXmlPutsTheGateInFrontOfPaxWebsHandler() {
        assertThat(server.getHandler()).isInstanceOf(ServerGate.class);
        assertThat(((ServerGate) server.getHandler()).getHandler()).isInstanceOf(ContextHandlerCollection.class);
    }

    @Test
    void beforeTheStartGateIsThereEveryCallerIsToldNotYet() throws Exception {
        HttpResponse<String> webhook = postWebhook();
        assertThat(webhook.statusCode()).isEqualTo(503);
        assertThat(webhook.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(webhook.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(webhook.body());
        assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/starting");
        assertThat(problem.path("status").asInt()).isEqualTo(503);

        HttpResponse<String> page = get("/organizations/o", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("http-equiv=\"refresh\"").contains("DooneFlow is starting");

        HttpResponse<String> readiness = get("/v1/health", "application/json");
        assertThat(readiness.statusCode()).isEqualTo(503);
        JsonNode health = new ObjectMapper().readTree(readiness.body());
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("checks").path("components").asText()).startsWith("starting");

        HttpResponse<String> liveness = get("/v1/health/live", "application/json");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(liveness.body()).path("status").asText()).isEqualTo("UP");
    }

    @Test
    void onceTheStartGateIsMappedEveryRequestGoesThrough() throws Exception {
        assertThat(postWebhook().statusCode()).isEqualTo(503);

        registerFilter(ServerGate.GATE_FILTER); // as pax-web registers the start gate's filter service

        HttpResponse<String> webhook = postWebhook();
        assertThat(webhook.statusCode()).isEqualTo(200);
        assertThat(webhook.body()).isEqualTo("served");
        assertThat(get("/v1/health", "application/json").body()).isEqualTo("served");
        assertThat(get("/v1/health/live", "application/json").body()).isEqualTo("served");
    }

    @Test
    void aStartGateInAContextNotStartedYetDoesNotOpenIt() throws Exception {
        context.stop();
        registerFilter(ServerGate.GATE_FILTER);

        HttpResponse<String> readiness = get("/v1/health", "application/json");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(readiness.body()).path("checks").path("components").asText())
                .as("this gate's answer, not Jetty's for a request no context took").startsWith("starting");

        context.start();
        assertThat(get("/v1/health", "application/json").body()).isEqualTo("served");
    }

    @Test
    void aFilterOfAnotherNameDoesNotOpenIt() throws Exception {
        registerFilter("dooneflow-web-console-root");

        assertThat(postWebhook().statusCode()).isEqualTo(503);
    }

    /** Puts a gate on this clock and framework state in place of the one jetty.xml installed. */
    private void gateOn(AtomicLong nanos, AtomicBoolean frameworkStopping) throws Exception {
        ServerGate gate = new ServerGate(nanos::get, frameworkStopping::get);
        server.stop();
        gate.setHandler(((ServerGate) server.getHandler()).getHandler());
        server.setHandler(gate);
        server.start();
        port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * As pax-web changes the filters of a context: it stops every filter, empties the context's list, then adds new
     * holders for those that stay; {@code meanwhile} runs while the context has none.
     */
    private void changeFilters(List<String> staying, ThrowingRunnable meanwhile) throws Exception {
        ServletHandler servlets = context.getServletHandler();
        for (FilterHolder holder : servlets.getFilters()) {
            holder.stop();
        }
        servlets.setFilters(new FilterHolder[0]);
        servlets.setFilterMappings(new FilterMapping[0]);
        meanwhile.run();
        staying.forEach(this::registerFilter);
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void itOpensForGoodAfterTheLongestWaitEvenWithoutTheGate() throws Exception {
        AtomicLong nanos = new AtomicLong();
        gateOn(nanos, new AtomicBoolean());

        nanos.set(ServerGate.LONGEST_WAIT_NANOS - 1);
        assertThat(postWebhook().statusCode()).isEqualTo(503);
        nanos.set(ServerGate.LONGEST_WAIT_NANOS);
        assertThat(postWebhook().body()).isEqualTo("served");
        nanos.addAndGet(ServerGate.LONGEST_WAIT_NANOS);
        assertThat(postWebhook().body()).as("no gate to look for any more").isEqualTo("served");
    }

    @Test
    void whenTheFrameworkStopsAndTheStartGateIsTakenDownCallersAreToldItIsStopping() throws Exception {
        AtomicBoolean frameworkStopping = new AtomicBoolean();
        gateOn(new AtomicLong(), frameworkStopping);
        registerFilter(ServerGate.GATE_FILTER);
        assertThat(postWebhook().body()).isEqualTo("served");

        frameworkStopping.set(true);
        changeFilters(List.of(), () -> { }); // the REST bundle stops: its filter goes

        HttpResponse<String> webhook = postWebhook();
        assertThat(webhook.statusCode()).isEqualTo(503);
        assertThat(webhook.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(new ObjectMapper().readTree(webhook.body()).path("type").asText())
                .isEqualTo("https://dooneflow.org/problems/stopping");
        HttpResponse<String> readiness = get("/v1/health", "application/json");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(readiness.body()).path("checks").path("components").asText())
                .startsWith("stopping");
        assertThat(get("/", "text/html").body()).contains("DooneFlow is stopping");
    }

    @Test
    void onceTheFrameworkStopsCallersAreToldItIsStoppingEvenBeforeTheStartGateIsTakenDown() throws Exception {
        AtomicBoolean frameworkStopping = new AtomicBoolean();
        gateOn(new AtomicLong(), frameworkStopping);
        registerFilter(ServerGate.GATE_FILTER);
        assertThat(postWebhook().body()).isEqualTo("served");

        // The gate's filter is still mapped and started, but may go at any moment: a request let through now could
        // reach a filter already taken down, which Jetty answers 404.
        frameworkStopping.set(true);

        HttpResponse<String> webhook = postWebhook();
        assertThat(webhook.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(webhook.body()).path("type").asText())
                .isEqualTo("https://dooneflow.org/problems/stopping");
        assertThat(get("/v1/health/live", "application/json").statusCode()).isEqualTo(200);
    }

    @Test
    void whileTheFiltersOfTheContextChangeCallersAreToldNotYetThenServed() throws Exception {
        registerFilter(ServerGate.GATE_FILTER);
        assertThat(postWebhook().body()).isEqualTo("served");

        // A connector's filter arrives after the start.
        changeFilters(List.of(ServerGate.GATE_FILTER, "acme-filter"), () -> {
            HttpResponse<String> webhook = postWebhook();
            assertThat(webhook.statusCode()).isEqualTo(503);
            assertThat(new ObjectMapper().readTree(webhook.body()).path("type").asText())
                    .isEqualTo("https://dooneflow.org/problems/starting");
        });

        assertThat(postWebhook().body()).isEqualTo("served");
    }
}
