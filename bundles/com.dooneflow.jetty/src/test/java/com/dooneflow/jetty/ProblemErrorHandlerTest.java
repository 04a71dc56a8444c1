package com.dooneflow.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.HandlerList;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A Jetty server configured by the fragment's jetty.xml as pax-web configures its own, spoken to in raw HTTP. */
class ProblemErrorHandlerTest {

    private static Server server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        // As pax-web 8 applies a jetty.xml found on its class path: the server is known by its id.
        XmlConfiguration xml = new XmlConfiguration(
                Resource.newResource(ProblemErrorHandler.class.getResource("/jetty.xml")));
        xml.getIdMap().put("Server", server);
        xml.configure();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        // A context that finds nothing at /ctx; no context for /not-deployed, as before pax-web deploys its context.
        ContextHandler context = new ContextHandler("/ctx");
        context.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                response.sendError(404);
            }
        });
        server.setHandler(new HandlerList(context, new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                if (target.startsWith("/not-deployed")) {
                    return;
                }
                response.setContentType("text/plain");
                response.getWriter().write("ok");
                base.setHandled(true);
            }
        }));
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    /** One request on its own connection; the whole answer as text. */
    private static String exchange(String requestLineAndHeaders) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((requestLineAndHeaders + "Host: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode problem(String answer, int status) throws IOException {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("content-type: application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/http-" + status);
        assertThat(problem.path("title").asText()).isNotBlank();
        return problem;
    }

    @Test
    void theXmlInstallsTheHandlerOnTheServer() {
        assertThat(server.getErrorHandler()).isInstanceOf(ProblemErrorHandler.class);
    }

    @Test
    void anOrdinaryRequestIsUntouched() throws IOException {
        assertThat(exchange("GET /v1/health HTTP/1.1\r\n")).startsWith("HTTP/1.1 200 ").endsWith("ok");
    }

    @Test
    void aUriTooLongIs414Problem() throws IOException {
        problem(exchange("GET /webhook/" + "x".repeat(20_000) + " HTTP/1.1\r\n"), 414);
    }

    @Test
    void headersTooLargeAre431Problem() throws IOException {
        problem(exchange("GET /v1/health HTTP/1.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n"), 431);
    }

    @Test
    void pathsJettyRefusesAre400ProblemsWhateverTheClientAccepts() throws IOException {
        for (String path : new String[] {"/v1/organizations/%00", "/webhook/a/..;/b", "/v1/a%zz"}) {
            problem(exchange("GET " + path + " HTTP/1.1\r\nAccept: text/html\r\n"), 400);
        }
        assertThat(problem(exchange("GET /webhook/a/..;/b HTTP/1.1\r\n"), 400).path("detail").asText())
                .isEqualTo("Ambiguous path parameters");
    }

    @Test
    void aRequestNoContextTakesIs503StartingWithRetryAfter() throws IOException {
        String answer = exchange("POST /not-deployed/webhook/orders HTTP/1.1\r\nContent-Length: 0\r\n");

        assertThat(answer).startsWith("HTTP/1.1 503 ");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("retry-after: 5").contains("content-type: application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/starting");
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asText()).contains("starting");
    }

    @Test
    void notFoundInsideAContextStays404() throws IOException {
        assertThat(exchange("GET /ctx/nothing HTTP/1.1\r\n").toLowerCase()).doesNotContain("retry-after");
        problem(exchange("GET /ctx/nothing HTTP/1.1\r\n"), 404);
    }

    @Test
    void textInTheProblemIsEscaped() throws IOException {
        String reason = "a \"quoted\"\\ \u0001 reason";
        assertThat(new ObjectMapper().readTree(ProblemErrorHandler.problem(400, reason)).path("detail").asText())
                .isEqualTo(reason);
        assertThat(new ObjectMapper().readTree(ProblemErrorHandler.problem(400, "Bad Request")).has("detail"))
                .isFalse();
    }
}
