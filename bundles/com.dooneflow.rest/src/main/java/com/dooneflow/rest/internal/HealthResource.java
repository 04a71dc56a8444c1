package com.dooneflow.rest.internal;

import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.readiness.Readiness;

/**
 * {@code GET /v1/health}: readiness, 200 UP once the database is migrated and answers and every component has
 * started with its routes served ({@link Readiness}, in com.dooneflow.readiness, whose start gate answers this path
 * itself until then), 503 DOWN before or when either fails; {@code GET /v1/health/live}: liveness. Served on every
 * node, whatever its roles ({@link ApiRoleFilter}); names the node and its roles.
 */
@Component(service = HealthResource.class)
@DooneFlowResource
@Path("v1/health")
public class HealthResource {

    private final Readiness readiness;

    @Activate
    public HealthResource(@Reference Readiness readiness) {
        this.readiness = readiness;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        Map<String, Object> body = readiness.body(readiness.components());
        return Response.status(Readiness.UP.equals(body.get("status")) ? 200 : 503).entity(body).build();
    }

    /** Liveness: the process answers HTTP; touches nothing else (also the benchmark's empty route). */
    @GET
    @Path("live")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> live() {
        return Readiness.LIVE;
    }
}
