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

import com.dooneflow.api.Page;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code GET /v1/organizations/{orgId}/audit-log}: the organization's audit log, for its owners and admins. A class of
 * its own: JAX-RS picks the resource class by its own path first, so under {@code v1/organizations} only a class
 * whose path is longer than that one's is reached.
 */
@Component(service = OrganizationAuditLogResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/audit-log")
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationAuditLogResource {

    private final AuditLog audit;

    @Activate
    public OrganizationAuditLogResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public Page<AuditEntry> list(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                 @QueryParam("actor") String actor, @QueryParam("objectType") String objectType,
                                 @QueryParam("objectId") String objectId, @QueryParam("action") String action,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return audit.list(Caller.of(security), orgId,
                AuditLogResource.filter(actor, objectType, objectId, action, from, to), Queries.limit(limit), cursor);
    }
}
