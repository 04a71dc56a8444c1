package com.dooneflow.rest.internal;

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

import com.dooneflow.api.Page;
import com.dooneflow.api.team.Assignment;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.api.team.TeamStats;
import com.dooneflow.api.rest.DooneFlowResource;

/** {@code /v1/organizations/{orgId}/team-members}: the team, its assignment log and counts per member. */
@Component(service = TeamMemberResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/team-members")
@Produces(MediaType.APPLICATION_JSON)
public class TeamMemberResource {

    private final TeamService team;

    @Activate
    public TeamMemberResource(@Reference TeamService team) {
        this.team = team;
    }

    @GET
    public Page<TeamMember> list(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                 @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return team.list(Caller.of(security), orgId, Queries.limit(limit), cursor);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("orgId") String orgId, TeamMemberInput body) {
        return Response.status(201).entity(team.create(Caller.of(security), orgId, body)).build();
    }

    /** The organization's assignment log, newest first; {@code executionId} narrows it to one execution. */
    @GET
    @Path("assignments")
    public Page<Assignment> log(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                @QueryParam("executionId") String executionId, @QueryParam("from") String from,
                                @QueryParam("to") String to, @QueryParam("limit") String limit,
                                @QueryParam("cursor") String cursor) {
        return team.log(Caller.of(security), orgId, executionId == null || executionId.isBlank() ? null : executionId,
                Queries.instant(from, "from"), Queries.instant(to, "to"), Queries.limit(limit), cursor);
    }

    @GET
    @Path("stats")
    public TeamStats stats(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @QueryParam("from") String from, @QueryParam("to") String to) {
        return team.stats(Caller.of(security), orgId, Queries.instant(from, "from"), Queries.instant(to, "to"));
    }

    @GET
    @Path("{id}")
    public TeamMember get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                          @PathParam("id") String id) {
        return team.get(Caller.of(security), orgId, id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public TeamMember update(@Context SecurityContext security, @PathParam("orgId") String orgId,
                             @PathParam("id") String id, TeamMemberInput body) {
        return team.update(Caller.of(security), orgId, id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id) {
        team.delete(Caller.of(security), orgId, id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/assignments")
    public Page<Assignment> assignments(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                        @PathParam("id") String id, @QueryParam("from") String from,
                                        @QueryParam("to") String to, @QueryParam("limit") String limit,
                                        @QueryParam("cursor") String cursor) {
        return team.assignments(Caller.of(security), orgId, id, Queries.instant(from, "from"),
                Queries.instant(to, "to"), Queries.limit(limit), cursor);
    }
}
