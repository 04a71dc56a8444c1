package com.dooneflow.rest.internal;

import javax.ws.rs.GET;
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

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.rest.DooneFlowResource;

/** {@code /v1/organizations/{orgId}/events}: integration-level events, such as a trigger failing, newest first. */
@Component(service = EventResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventLog events;
    private final OrganizationService organizations;

    @Activate
    public EventResource(@Reference EventLog events, @Reference OrganizationService organizations) {
        this.events = events;
        this.organizations = organizations;
    }

    @GET
    public Page<Event> events(@Context SecurityContext security, @PathParam("orgId") String orgId,
                              @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        organizations.requireRole(Caller.of(security), orgId, false);
        return events.list(orgId, Queries.instant(from, "from"), Queries.instant(to, "to"), Queries.limit(limit), cursor);
    }
}
