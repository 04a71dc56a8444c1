package com.dooneflow.rest.internal;

import java.time.Instant;

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
import com.dooneflow.api.audit.AuditFilter;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * The audit log, read only: {@code GET /v1/organizations/{orgId}/audit-log} for the organization's owners and admins,
 * {@code GET /v1/audit-log} (installation-wide entries) for installation administrators. Nothing changes or deletes
 * an entry.
 */
@Component(service = AuditLogResource.class)
@DooneFlowResource
@Path("v1")
@Produces(MediaType.APPLICATION_JSON)
public class AuditLogResource {

    static final int MAX_FILTER = 320;

    private final AuditLog audit;

    @Activate
    public AuditLogResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Path("organizations/{orgId}/audit-log")
    public Page<AuditEntry> organization(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                         @QueryParam("actor") String actor, @QueryParam("objectType") String objectType,
                                         @QueryParam("objectId") String objectId, @QueryParam("action") String action,
                                         @QueryParam("from") String from, @QueryParam("to") String to,
                                         @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return audit.list(Caller.of(security), orgId, filter(actor, objectType, objectId, action, from, to),
                Queries.limit(limit), cursor);
    }

    @GET
    @Path("audit-log")
    public Page<AuditEntry> installation(@Context SecurityContext security,
                                         @QueryParam("actor") String actor, @QueryParam("objectType") String objectType,
                                         @QueryParam("objectId") String objectId, @QueryParam("action") String action,
                                         @QueryParam("from") String from, @QueryParam("to") String to,
                                         @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return audit.listInstallation(Caller.of(security), filter(actor, objectType, objectId, action, from, to),
                Queries.limit(limit), cursor);
    }

    static AuditFilter filter(String actor, String objectType, String objectId, String action, String from,
                              String to) {
        Instant start = Queries.instant(from, "from");
        Instant end = Queries.instant(to, "to");
        Queries.range(start, end);
        return new AuditFilter(Queries.text(actor, "actor", MAX_FILTER), Queries.text(objectType, "objectType", 100),
                Queries.text(objectId, "objectId", 200), Queries.text(action, "action", 100), start, end);
    }
}
