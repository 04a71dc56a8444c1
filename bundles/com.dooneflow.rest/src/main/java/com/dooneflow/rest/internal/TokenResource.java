package com.dooneflow.rest.internal;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ApiToken;
import com.dooneflow.api.rest.DooneFlowResource;

/** {@code /v1/tokens}: the caller's own API tokens. A new token's secret is in the 201 response only. */
@Component(service = TokenResource.class)
@DooneFlowResource
@Path("v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final AccessService access;

    @Activate
    public TokenResource(@Reference AccessService access) {
        this.access = access;
    }

    @GET
    public Dto.Items<ApiToken> list(@Context SecurityContext security) {
        return Dto.Items.of(access.listTokens(Caller.of(security)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, Dto.NameBody body) {
        return Response.status(201).entity(Dto.NewToken.of(access.createToken(Caller.of(security), body.name())))
                .build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@Context SecurityContext security, @PathParam("id") String id) {
        access.revokeToken(Caller.of(security), id);
        return Response.noContent().build();
    }
}
