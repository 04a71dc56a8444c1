package com.dooneflow.rest.internal;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code GET /v1/organizations/{orgId}/options/{source}}: the values a reference parameter may take in the
 * organization (its inboxes, team members, Salesforce connections), from the option source its descriptor names.
 */
@Component(service = OptionResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/options")
@Produces(MediaType.APPLICATION_JSON)
public class OptionResource {

    private final OrganizationService organizations;
    private final ConnectorRegistry registry;

    @Activate
    public OptionResource(@Reference OrganizationService organizations, @Reference ConnectorRegistry registry) {
        this.organizations = organizations;
        this.registry = registry;
    }

    @GET
    @Path("{source}")
    public Dto.Items<OptionSource.Option> options(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                                  @PathParam("source") String source) {
        // Any member may read; another organization is not found. Checked first: sources trust the id they get.
        organizations.requireRole(Caller.of(security), orgId, false);
        OptionSource options = registry.optionSource(source)
                .orElseThrow(() -> new NotFoundException("no option source '" + source + "' is installed"));
        return Dto.Items.of(options.options(orgId));
    }
}
