package com.dooneflow.rest.internal;

import java.io.IOException;
import java.io.InputStream;

import javax.annotation.security.PermitAll;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code GET /v1/openapi.json}: the OpenAPI 3.1 description of the whole API, shipped with this bundle. */
@Component(service = OpenApiResource.class)
@JaxrsResource
@Path("v1/openapi.json")
public class OpenApiResource {

    static final String DOCUMENT = "openapi.json";

    /** Read once: the document ships inside this bundle and never changes while it runs. */
    private final byte[] document;

    @Activate
    public OpenApiResource() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            this.document = in.readAllBytes();
        }
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] get() {
        return document;
    }
}
