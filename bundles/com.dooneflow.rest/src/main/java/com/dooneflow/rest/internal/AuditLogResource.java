package com.dooneflow.rest.internal;

import java.time.Instant;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
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
 * {@code GET /v1/audit-log}: the installation-wide entries of the audit log, for installation administrators. An
 * organization's are {@link OrganizationAuditLogResource}'s. Read only: nothing changes or deletes an entry.
 */
@Component(service = AuditLogResource.class)
@DooneFlowResource
@Path("v1/audit-log")
@Produces(MediaType.APPLICATION_JSON)
public class AuditLogResource {

    static final int MAX_FILTER = 320;

    private final AuditLog audit;

    @Activate
    public AuditLogResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @GET
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
