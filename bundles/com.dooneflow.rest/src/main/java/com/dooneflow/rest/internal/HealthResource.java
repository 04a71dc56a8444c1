package com.dooneflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import javax.annotation.security.PermitAll;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;

import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.Health;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code GET /v1/health}: readiness, 200 UP once the database is migrated and answers and every component has
 * started with its routes served (see {@link ComponentReadiness}), 503 DOWN before or when either fails;
 * {@code GET /v1/health/live}: liveness. Served on every node, whatever its roles ({@link ApiRoleFilter}); names the
 * node and its roles.
 */
@Component(service = HealthResource.class)
@DooneFlowResource
@Path("v1/health")
public class HealthResource {

    static final String UP = "UP";
    static final Map<String, String> LIVE = Map.of("status", UP);
    /**
     * How long every route must have been served, with the JAX-RS whiteboard unchanged, before the components check
     * says UP: the whiteboard lists a resource as served while it still rebuilds the application around it (a request
     * then meets no application: a 404 or a 500), which takes it some tens of milliseconds.
     */
    static final long SETTLE_MILLIS = 500;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Health health;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ServiceComponentRuntime components;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile JaxrsServiceRuntime jaxrs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConnectorRegistry connectors;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HttpServiceRuntime http;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ClusterService cluster;

    private final BundleContext context;
    private final LongSupplier clock;
    /** Since when the check has said UP, and the JAX-RS whiteboard's change count then; null while it does not. */
    private final AtomicReference<Up> up = new AtomicReference<>();

    private record Up(long since, Object changeCount) {
    }

    @Activate
    public HealthResource(BundleContext context) {
        this(context, () -> System.nanoTime() / 1_000_000);
    }

    HealthResource(BundleContext context, LongSupplier clockMillis) {
        this.context = context;
        this.clock = clockMillis;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        Map<String, Object> body = body();
        return Response.status(UP.equals(body.get("status")) ? 200 : 503).entity(body).build();
    }

    /** The readiness answer; its {@code status} is UP (200) or DOWN (503). */
    Map<String, Object> body() {
        return body(components());
    }

    /** The readiness answer with this components check (see {@link #components()}); also {@link StartGate}'s. */
    Map<String, Object> body(String componentsCheck) {
        Health h = health;
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, String> checks = new LinkedHashMap<>(h == null ? Map.of("database", "starting") : h.check());
        checks.put("components", componentsCheck);
        boolean up = checks.values().stream().allMatch(UP::equals);
        body.put("status", up ? UP : "DOWN");
        body.put("checks", checks);
        if (h != null) {
            body.putAll(h.info());
        }
        body.putAll(node(cluster));
        // Informative, not a readiness check: one broken connector must not take the node out of a load balancer.
        // Only the type ids: this answer is public, the reasons (bundles, services) are for signed-in callers.
        ConnectorRegistry registry = connectors;
        body.put("connectorsNotRunning", registry == null ? List.of() : registry.notRunning().stream()
                .map(s -> s.type() != null ? s.type() : "unreadable descriptor in " + s.bundle()).toList());
        return body;
    }

    /** The components check alone: "UP", "failed: …", or what the start still waits for. */
    String components() {
        String state = ComponentReadiness.check(context, components, jaxrs, http);
        if (!UP.equals(state)) {
            up.set(null);
            return state;
        }
        // The JAX-RS whiteboard raises its service.changecount with each change of what it serves (pax-web's HTTP
        // whiteboard raises its own at every readiness check, so that one tells nothing).
        ServiceReference<JaxrsServiceRuntime> runtime = context.getServiceReference(JaxrsServiceRuntime.class);
        return settled(runtime == null ? null : runtime.getProperty("service.changecount"));
    }

    /** UP once every route has been served for {@link #SETTLE_MILLIS}, the JAX-RS whiteboard's change count still. */
    String settled(Object jaxrsChangeCount) {
        long now = clock.getAsLong();
        Up since = up.updateAndGet(u -> u != null && Objects.equals(u.changeCount(), jaxrsChangeCount) ? u
                : new Up(now, jaxrsChangeCount));
        return now - since.since() >= SETTLE_MILLIS ? UP
                : "settling: every route is served; waiting for the JAX-RS whiteboard to finish deploying";
    }

    /**
     * Which node answers, its roles and, on a worker, whether it claims executions now (informative: a worker that
     * cannot claim because the database is down already shows as DOWN through the database check).
     */
    static Map<String, Object> node(ClusterService c) {
        Map<String, Object> node = new LinkedHashMap<>();
        if (c != null) {
            node.put("node", c.nodeId());
            node.put("roles", c.roles().stream().map(NodeRole::id).toList());
            if (c.hasRole(NodeRole.WORKER)) {
                node.put("claiming", c.claiming());
            }
        }
        return node;
    }

    /** Liveness: the process answers HTTP; touches nothing else (also the benchmark's empty route). */
    @GET
    @Path("live")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> live() {
        return LIVE;
    }
}
