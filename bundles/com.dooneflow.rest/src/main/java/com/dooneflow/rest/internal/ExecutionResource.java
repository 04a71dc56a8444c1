package com.dooneflow.rest.internal;

import java.time.Instant;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.Page;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.rest.DooneFlowResource;

/** The Events page's executions: newest first with filters (workflow, status, time, text), one with its steps, retry and cancel. */
@Component(service = ExecutionResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/executions")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionResource {

    /** The longest search text: enough for a name, an email address or a phone number. */
    static final int MAX_SEARCH = 200;

    private final ExecutionService executions;

    @Activate
    public ExecutionResource(@Reference ExecutionService executions) {
        this.executions = executions;
    }

    @GET
    public Page<Execution> list(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                @QueryParam("workflowId") String workflowId, @QueryParam("status") String status,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("q") String q, @QueryParam("test") String test,
                                @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return executions.list(Caller.of(security), orgId, filter(workflowId, status, from, to, q, test),
                Queries.limit(limit), cursor);
    }

    /** The list's filter from its query parameters, each checked with a 422 that names it. */
    static ExecutionFilter filter(String workflowId, String status, String from, String to, String q) {
        return filter(workflowId, status, from, to, q, null);
    }

    /** As above; {@code test}: {@code true} for test runs only, {@code false} for real runs only, absent for both. */
    static ExecutionFilter filter(String workflowId, String status, String from, String to, String q, String test) {
        Instant start = Queries.instant(from, "from");
        Instant end = Queries.instant(to, "to");
        Queries.range(start, end);
        return new ExecutionFilter(Queries.id(workflowId, "workflowId"),
                Queries.enumValue(ExecutionStatus.class, status, "status"), start, end,
                Queries.text(q, "q", MAX_SEARCH), testRuns(test));
    }

    private static Boolean testRuns(String test) {
        if (test == null || test.isEmpty()) {
            return null;
        }
        return switch (test) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ValidationException.of("test", "must be true or false");
        };
    }

    @GET
    @Path("{id}")
    public Execution get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                         @PathParam("id") String id) {
        return executions.get(Caller.of(security), orgId, id);
    }

    @POST
    @Path("{id}/retry")
    public Execution retry(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id) {
        return executions.retry(Caller.of(security), orgId, id);
    }

    @POST
    @Path("{id}/cancel")
    public Execution cancel(@Context SecurityContext security, @PathParam("orgId") String orgId,
                            @PathParam("id") String id) {
        return executions.cancel(Caller.of(security), orgId, id);
    }

}
