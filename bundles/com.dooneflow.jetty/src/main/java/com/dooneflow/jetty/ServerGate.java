package com.dooneflow.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.FilterMapping;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHandler;
import org.eclipse.jetty.util.log.Log;
import org.eclipse.jetty.util.log.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;

/**
 * The door in front of Jetty's handlers, shut while DooneFlow's start gate (the servlet filter {@value #GATE_FILTER},
 * com.dooneflow.rest's {@code StartGate}) is not in place. pax-web starts Jetty seconds before the REST bundle
 * registers that gate, and takes the gate down before the last servlets when the node stops; meanwhile the
 * whiteboards deploy or remove their servlets one by one, and a request one of them answered (the JAX-RS servlet
 * without its resources, the console) got a 404 or a 500, which a webhook sender may not retry. While the gate's
 * filter is not mapped in a started servlet context, this handler answers as the gate does: 503 with
 * {@code Retry-After}, saying whether DooneFlow is starting or stopping. Once it is, every request passes at the cost
 * of asking the gate's filter holder whether it is still started (pax-web stops it when it takes the filter down, and
 * for a moment whenever it changes the context's filters). From the moment the framework begins to stop, this
 * handler answers "stopping" itself, whether the gate is in place or not.
 * Like the gate, it opens for good {@link #LONGEST_WAIT_NANOS} after it shut, so that a REST bundle that never comes
 * cannot keep webhooks out.
 */
public class ServerGate extends HandlerWrapper {

    static final String GATE_FILTER = "dooneflow-start-gate";
    static final long LONGEST_WAIT_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final Logger LOG = Log.getLogger(ServerGate.class);
    private static final byte[] LIVE = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    /** Why the door is shut (the framework is starting or stopping), and what it answers meanwhile. */
    enum Shut {
        STARTING("starting: the web server is up, DooneFlow's REST API is not deployed yet",
                ProblemErrorHandler.STARTING),
        STOPPING("stopping: the framework is shutting down", ProblemErrorHandler.STOPPING);

        final byte[] health;
        final byte[] problem;
        final byte[] page;

        Shut(String components, String problem) {
            String word = name().toLowerCase(Locale.ROOT);
            this.health = ("{\"status\":\"DOWN\",\"checks\":{\"components\":\"" + components + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            this.problem = problem.getBytes(StandardCharsets.UTF_8);
            // As the start gate's page for a browser: it reloads itself.
            this.page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta http-equiv=\"refresh\" content=\"2\"><title>DooneFlow is " + word + "</title></head>"
                    + "<body><p>DooneFlow is " + word + ". This page reloads by itself.</p></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private final LongSupplier nanoClock;
    private final BooleanSupplier frameworkStopping;
    /** The start gate's filter while it is in place, else null. */
    private volatile FilterHolder gate;
    private volatile boolean openForGood;
    private volatile long shutAt;

    public ServerGate() {
        this(System::nanoTime, ServerGate::frameworkStopping);
    }

    ServerGate(LongSupplier nanoClock, BooleanSupplier frameworkStopping) {
        this.nanoClock = nanoClock;
        this.frameworkStopping = frameworkStopping;
        this.shutAt = nanoClock.getAsLong();
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        // Once the framework stops, the door answers "stopping" itself, as the start gate would: the gate's filter may
        // be taken down between a look at it and the request reaching it, which Jetty answers with a 404.
        boolean stopping = frameworkStopping.getAsBoolean();
        FilterHolder inPlace = gate;
        if (!stopping && ((inPlace != null && inPlace.isStarted()) || opens())) {
            super.handle(target, baseRequest, request, response);
            return;
        }
        Shut why = stopping ? Shut.STOPPING : Shut.STARTING;
        baseRequest.setHandled(true);
        if ("/v1/health/live".equals(target)) {
            write(response, 200, "application/json", LIVE);
            return;
        }
        response.setHeader(HttpHeader.RETRY_AFTER.asString(), ProblemErrorHandler.RETRY_AFTER_SECONDS);
        if ("/v1/health".equals(target)) {
            write(response, 503, "application/json", why.health);
        } else if (String.valueOf(request.getHeader("Accept")).contains("text/html")) {
            write(response, 503, "text/html;charset=utf-8", why.page);
        } else {
            write(response, 503, ProblemErrorHandler.MEDIA_TYPE, why.problem);
        }
    }

    /**
     * The gate is not in place, or no longer (pax-web stops the filters of a context while it changes them, and takes
     * the gate down when the REST bundle stops): whether it is now, or the wait has been too long (which opens the
     * door for good).
     */
    private boolean opens() {
        if (openForGood) {
            return true;
        }
        if (gate != null) { // it was in place and has gone: the wait starts again
            gate = null;
            shutAt = nanoClock.getAsLong();
        }
        FilterHolder found = mappedGate(getServer());
        if (found != null) {
            gate = found;
            return true;
        }
        if (nanoClock.getAsLong() - shutAt >= LONGEST_WAIT_NANOS) {
            LOG.warn("Serving HTTP although DooneFlow's start gate has not been in place for {} s",
                    TimeUnit.NANOSECONDS.toSeconds(LONGEST_WAIT_NANOS));
            openForGood = true;
        }
        return openForGood;
    }

    /** This fragment's host (pax-web-jetty) and the system bundle, looked up once: their states are read per request. */
    private record Bundles(Bundle host, Bundle system) {
    }

    private static volatile Bundles bundles;

    /**
     * Whether the OSGi framework this runs in is shutting down, or the host bundle no longer runs (outside a framework,
     * as in a unit test: no). Asked on every request, so it only reads two bundles' states once they are known.
     */
    static boolean frameworkStopping() {
        Bundles known = bundles;
        if (known == null) {
            Bundle host = FrameworkUtil.getBundle(ServerGate.class);
            if (host == null) {
                return false;
            }
            BundleContext context = host.getBundleContext();
            if (context == null) {
                return true;
            }
            known = new Bundles(host, context.getBundle(Constants.SYSTEM_BUNDLE_ID));
            bundles = known;
        }
        return known.system().getState() == Bundle.STOPPING
                || (known.host().getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0;
    }

    /** The start gate's filter if a started servlet context of the server maps it to requests, else null. */
    static FilterHolder mappedGate(Server server) {
        if (server == null) {
            return null;
        }
        for (Handler handler : server.getChildHandlersByClass(ServletContextHandler.class)) {
            ServletContextHandler context = (ServletContextHandler) handler;
            ServletHandler servlets = context.getServletHandler();
            FilterHolder holder = servlets.getFilter(GATE_FILTER);
            FilterMapping[] mappings = servlets.getFilterMappings();
            // Mapped in a context not started yet, the filter would not be reached: Jetty finds no context at all.
            if (!context.isAvailable() || holder == null || !holder.isStarted() || mappings == null) {
                continue;
            }
            for (FilterMapping mapping : mappings) {
                if (GATE_FILTER.equals(mapping.getFilterName())) {
                    return holder;
                }
            }
        }
        return null;
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
