package com.dooneflow.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.servlet.FilterMapping;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHandler;

/**
 * DooneFlow's start gate from the moment Jetty listens. pax-web starts Jetty seconds before the REST bundle
 * registers the start gate (the servlet filter {@value #GATE_FILTER}, com.dooneflow.rest's {@code StartGate}), and
 * meanwhile the whiteboards deploy their servlets one by one: a request one of them answered (the JAX-RS servlet
 * before the REST resources are there, the console) got a 404 or a 500, which a webhook sender may not retry.
 * Until that filter is mapped in a started servlet context this handler answers as the gate does, 503 with
 * {@code Retry-After}; from then on it passes every request on at the cost of one volatile read. Like the gate, it
 * opens at the latest {@link #LONGEST_START_NANOS} after Jetty was configured.
 */
public class EarlyStartGate extends HandlerWrapper {

    static final String GATE_FILTER = "dooneflow-start-gate";
    static final long LONGEST_START_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final byte[] LIVE = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEALTH = ("{\"status\":\"DOWN\",\"checks\":{\"database\":\"starting\",\"components\":"
            + "\"starting: the web server is up, DooneFlow's REST API is not deployed yet\"}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] STARTING = ProblemErrorHandler.STARTING.getBytes(StandardCharsets.UTF_8);
    /** The start gate's page for a browser: it reloads itself. */
    private static final byte[] PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"refresh\" content=\"2\"><title>DooneFlow is starting</title></head>"
            + "<body><p>DooneFlow is starting. This page reloads by itself.</p></body></html>")
            .getBytes(StandardCharsets.UTF_8);

    private final LongSupplier nanoClock;
    private final long closedAt;
    private volatile boolean open;

    public EarlyStartGate() {
        this(System::nanoTime);
    }

    EarlyStartGate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.closedAt = nanoClock.getAsLong();
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (open || opens()) {
            super.handle(target, baseRequest, request, response);
            return;
        }
        baseRequest.setHandled(true);
        if ("/v1/health/live".equals(target)) {
            write(response, 200, "application/json", LIVE);
            return;
        }
        response.setHeader(HttpHeader.RETRY_AFTER.asString(), ProblemErrorHandler.RETRY_AFTER_SECONDS);
        if ("/v1/health".equals(target)) {
            write(response, 503, "application/json", HEALTH);
        } else if (String.valueOf(request.getHeader("Accept")).contains("text/html")) {
            write(response, 503, "text/html;charset=utf-8", PAGE);
        } else {
            write(response, 503, ProblemErrorHandler.MEDIA_TYPE, STARTING);
        }
    }

    /** Whether the start gate has taken over (or the start has taken too long); if so this stays open for good. */
    private boolean opens() {
        Server server = getServer();
        if ((server != null && gateMapped(server)) || nanoClock.getAsLong() - closedAt >= LONGEST_START_NANOS) {
            open = true;
        }
        return open;
    }

    /** Whether a started servlet context of the server maps the start gate's filter to requests. */
    static boolean gateMapped(Server server) {
        for (Handler handler : server.getChildHandlersByClass(ServletContextHandler.class)) {
            ServletContextHandler context = (ServletContextHandler) handler;
            ServletHandler servlets = context.getServletHandler();
            // Mapped in a context not started yet, the filter would not be reached: Jetty finds no context at all.
            if (!context.isAvailable() || servlets.getFilter(GATE_FILTER) == null
                    || servlets.getFilterMappings() == null) {
                continue;
            }
            for (FilterMapping mapping : servlets.getFilterMappings()) {
                if (GATE_FILTER.equals(mapping.getFilterName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
