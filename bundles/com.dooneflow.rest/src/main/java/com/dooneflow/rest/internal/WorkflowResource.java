package com.dooneflow.rest.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.Page;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowService;
import com.dooneflow.api.rest.DooneFlowResource;

/** {@code /v1/organizations/{orgId}/workflows}: workflows, their versions, webhook keys, export and import. */
@Component(service = WorkflowResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/workflows")
@Produces(MediaType.APPLICATION_JSON)
public class WorkflowResource {

    /** How long a replaced webhook key stays valid unless the rotation says otherwise. */
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    static final long MAX_GRACE_SECONDS = Duration.ofDays(30).toSeconds();

    private final WorkflowService workflows;
    private final ExecutionService executions;

    @Activate
    public WorkflowResource(@Reference WorkflowService workflows, @Reference ExecutionService executions) {
        this.workflows = workflows;
        this.executions = executions;
    }

    @GET
    public Page<Workflow> list(@Context SecurityContext security, @PathParam("orgId") String orgId,
                               @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return workflows.list(Caller.of(security), orgId, Queries.limit(limit), cursor);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           WorkflowDefinition body) {
        return Response.status(201).entity(workflows.create(Caller.of(security), orgId, body)).build();
    }

    /** Creates a workflow from an export. */
    @POST
    @Path("import")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response importWorkflow(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                   WorkflowDefinition body) {
        return create(security, orgId, body);
    }

    @GET
    @Path("{id}")
    public Workflow get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                        @PathParam("id") String id) {
        return workflows.get(Caller.of(security), orgId, id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Workflow update(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id, WorkflowDefinition body) {
        return workflows.update(Caller.of(security), orgId, id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id) {
        workflows.delete(Caller.of(security), orgId, id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/export")
    public WorkflowDefinition export(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                     @PathParam("id") String id) {
        return workflows.export(Caller.of(security), orgId, id);
    }

    /** Cancels the workflow's executions that have not finished (offered when it is disabled or deleted). */
    @POST
    @Path("{id}/cancel-executions")
    public Map<String, Integer> cancelExecutions(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                                 @PathParam("id") String id) {
        return Map.of("cancelled", executions.cancelUnfinished(Caller.of(security), orgId, id));
    }

    /**
     * Generates the trigger's security key and signing secret; the only time they are shown. The ones they replace
     * stay valid for {@code graceSeconds} (default 24 hours; 0: refused at once), so callers can switch over.
     */
    @POST
    @Path("{id}/webhook-key")
    public Map<String, String> webhookKey(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                          @PathParam("id") String id, @QueryParam("graceSeconds") String graceSeconds) {
        return workflows.rotateWebhookKey(Caller.of(security), orgId, id, grace(graceSeconds));
    }

    /** Whether the webhook has a key, and until when the key a rotation replaced is still accepted. */
    @GET
    @Path("{id}/webhook-key")
    public Map<String, Object> webhookKeyStatus(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                                @PathParam("id") String id) {
        Workflow workflow = workflows.get(Caller.of(security), orgId, id);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("webhookKeySet", workflow.webhookKeySet());
        status.put("previousKeyExpiresAt",
                workflows.previousWebhookKeyExpiry(Caller.of(security), orgId, id).orElse(null));
        return status;
    }

    static Duration grace(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_GRACE;
        }
        try {
            long n = Long.parseLong(seconds.trim());
            if (n >= 0 && n <= MAX_GRACE_SECONDS) {
                return Duration.ofSeconds(n);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ValidationException.of("graceSeconds", "must be a whole number of seconds from 0 to "
                + MAX_GRACE_SECONDS + " (30 days)");
    }
}
