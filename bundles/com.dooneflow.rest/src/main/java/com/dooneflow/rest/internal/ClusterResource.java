package com.dooneflow.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code GET /v1/cluster/nodes}: the nodes sharing the database, for installation administrators only. The nodes
 * are the installation's, not an organization's: an organization's owner sees none of them (403).
 */
@Component(service = ClusterResource.class)
@DooneFlowResource
@Path("v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    private final AccessService access;
    private final ClusterService cluster;

    @Activate
    public ClusterResource(@Reference AccessService access, @Reference ClusterService cluster) {
        this.access = access;
        this.cluster = cluster;
    }

    @GET
    @Path("nodes")
    public Dto.Items<ClusterNode> nodes(@Context SecurityContext security) {
        if (!access.isInstallationAdmin(Caller.of(security))) {
            throw new ForbiddenException("Only installation administrators see the nodes of the installation "
                    + "(granted with dooneflow:installation-admin-grant); a token scoped to one organization never does.");
        }
        return Dto.Items.of(cluster.nodes());
    }
}
