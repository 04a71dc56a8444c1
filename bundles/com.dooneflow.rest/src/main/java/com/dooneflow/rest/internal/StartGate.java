package com.dooneflow.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.rest.ProblemDetails;

/**
 * Answers every HTTP request while DooneFlow starts, so that no caller meets what the whiteboards do meanwhile: they
 * deploy the REST application route by route, and a request arriving between two deployments got a 404, a 500 or a
 * stack trace in the log. Until the start has settled, the gate answers 503 with {@code Retry-After} (a problem, or
 * for a browser a page that reloads itself), {@code /v1/health} with the readiness check's own answer and
 * {@code /v1/health/live} with UP. It opens once, for good, when every component runs and every route is served, or
 * when one has failed (which {@code /v1/health} then reports), and at the latest {@link #LONGEST_START_MILLIS} after
 * it closed: a part that waits forever must not keep the console from the person who can mend it. When the framework
 * begins to stop it closes again, for good, before the whiteboards take any route down: callers hear "stopping"
 * (503, {@code Retry-After}) instead of the 404s of routes going away.
 * (Its bundle starts with the other DooneFlow bundles: started earlier, before the JAX-RS whiteboard, the whiteboard's
 * activator once failed on the services it found already there. Until this filter is mapped, com.dooneflow.jetty's
 * ServerGate answers in front of Jetty's handlers as this gate does.)
 */
// Immediate: one gate for the component's life. Delayed, pax-web's stopping every filter while it changes a context's
// filters let Declarative Services drop the instance, and the new one started closed again (and knew nothing of a stop).
@Component(service = Filter.class, immediate = true, property = {
        "osgi.http.whiteboard.filter.pattern=/*",
        "osgi.http.whiteboard.filter.name=dooneflow-start-gate",
        "service.ranking:Integer=2147483646"}) // right after the node-role filter, before every other one
public class StartGate implements Filter {

    static final long LONGEST_START_MILLIS = TimeUnit.MINUTES.toMillis(5);
    static final String RETRY_AFTER_SECONDS = "5";
    /** How long a readiness check answers for the requests that follow it (the check walks every component). */
    private static final long CHECK_MILLIS = 100;
    private static final String DETAIL = "DooneFlow is starting; try again in a few seconds. GET /v1/health says what "
            + "it is waiting for.";
    private static final byte[] PROBLEM = Problem.json(new ProblemDetails("starting", "Service Unavailable", 503,
            DETAIL)).getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAGE = page("starting");
    private static final byte[] STOPPING_PROBLEM = Problem.json(new ProblemDetails("stopping", "Service Unavailable",
            503, "DooneFlow is stopping or restarting; try again in a few seconds.")).getBytes(StandardCharsets.UTF_8);
    private static final byte[] STOPPING_PAGE = page("stopping");
    private static final byte[] STOPPING_HEALTH = ("{\"status\":\"DOWN\",\"checks\":{\"components\":\"stopping: the "
            + "framework is shutting down\"}}").getBytes(StandardCharsets.UTF_8);
    private static final Logger LOG = LoggerFactory.getLogger(StartGate.class);

    private final HealthResource health;
    private final LongSupplier clock;
    private final long closedAt;
    private final AtomicBoolean open = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile Check last;
    private BundleContext context;
    /** The framework begins to stop: from then on every caller hears "stopping", before any route is taken down. */
    private final SynchronousBundleListener frameworkStopping = event -> {
        if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
            stopping();
        }
    };

    /** A components check and when it was made. */
    private record Check(String state, long at) {
    }

    @Activate
    public StartGate(@Reference HealthResource health, BundleContext context) {
        this(health, () -> System.nanoTime() / 1_000_000);
        this.context = context;
        context.addBundleListener(frameworkStopping);
        if (context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING) {
            stopping(); // activated again while the framework stops: its STOPPING event has passed
        }
    }

    @Deactivate
    void deactivate() {
        if (context != null) {
            context.removeBundleListener(frameworkStopping);
        }
    }

    /** Closes the gate for good: the node is stopping (the framework is shutting down). */
    void stopping() {
        if (!stopping) {
            stopping = true;
            LOG.info("DooneFlow is stopping: every request is answered 503 from now on");
        }
    }

    StartGate(HealthResource health, LongSupplier clockMillis) {
        this.health = health;
        this.clock = clockMillis;
        this.closedAt = clockMillis.getAsLong();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (stopping && request instanceof HttpServletRequest http && response instanceof HttpServletResponse r) {
            answerNotNow(http, r, () -> STOPPING_HEALTH, STOPPING_PAGE, STOPPING_PROBLEM);
            return;
        }
        if (open.get() || !(request instanceof HttpServletRequest http)
                || !(response instanceof HttpServletResponse httpResponse)) {
            chain.doFilter(request, response);
            return;
        }
        // The readiness check decides on a fresh check: once it says UP, every request after it must be served.
        String state = check("/v1/health".equals(ApiRoleFilter.path(http)));
        if (opens(state)) {
            chain.doFilter(request, response);
            return;
        }
        answerNotNow(http, httpResponse, () -> Json.MAPPER.writeValueAsBytes(health.body(state)), PAGE, PROBLEM);
    }

    /** The components check: made now when {@code fresh}, else one of the last {@link #CHECK_MILLIS}. */
    private String check(boolean fresh) {
        long now = clock.getAsLong();
        Check check = last;
        if (fresh || check == null || now - check.at() >= CHECK_MILLIS) {
            check = new Check(health.components(), now);
            last = check;
        }
        return check.state();
    }

    /**
     * Whether the start has settled (or taken too long); if so the gate stays open from here on. Of the requests that
     * find it so at once, one opens it and says so in the log.
     */
    private boolean opens(String state) {
        if (HealthResource.UP.equals(state) || state.startsWith("failed")) {
            if (open.compareAndSet(false, true)) {
                LOG.info("Serving HTTP: DooneFlow has started ({})", state);
            }
        } else if (clock.getAsLong() - closedAt >= LONGEST_START_MILLIS && open.compareAndSet(false, true)) {
            LOG.warn("Serving HTTP although DooneFlow has not finished starting after {} s: {}",
                    LONGEST_START_MILLIS / 1000, state);
        }
        return open.get();
    }

    /** What the readiness check's body is, as bytes (JSON written when asked for). */
    private interface ReadinessBody {
        byte[] get() throws IOException;
    }

    /**
     * "Not now" while starting or stopping: 503 with {@code Retry-After} (the readiness check its own body, a browser
     * the page, every other caller the problem); {@code /v1/health/live} UP, as the process does answer.
     */
    private static void answerNotNow(HttpServletRequest request, HttpServletResponse response, ReadinessBody readiness,
                                     byte[] page, byte[] problem) throws IOException {
        String path = ApiRoleFilter.path(request);
        if ("/v1/health/live".equals(path)) {
            write(response, 200, "application/json", Json.MAPPER.writeValueAsBytes(HealthResource.LIVE));
            return;
        }
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        if ("/v1/health".equals(path)) {
            write(response, 503, "application/json", readiness.get());
        } else if (acceptsHtml(request.getHeader("Accept"))) {
            write(response, 503, "text/html;charset=utf-8", page);
        } else {
            write(response, 503, Problem.MEDIA_TYPE, problem);
        }
    }

    /** The page a browser gets while DooneFlow is starting or stopping: it reloads itself. */
    private static byte[] page(String what) {
        return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"2\"><title>DooneFlow is " + what + "</title></head>"
                + "<body><p>DooneFlow is " + what + ". This page reloads by itself.</p></body></html>")
                .getBytes(StandardCharsets.UTF_8);
    }

    static boolean acceptsHtml(String accept) {
        return accept != null && accept.contains("text/html");
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
