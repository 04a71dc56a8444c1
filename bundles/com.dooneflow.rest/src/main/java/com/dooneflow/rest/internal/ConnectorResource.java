package com.dooneflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.rest.DooneFlowResource;

/** {@code GET /v1/connectors}: the trigger and action types installed right now, with their parameters. */
@Component(service = ConnectorResource.class)
@DooneFlowResource
@Path("v1/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private final ConnectorRegistry registry;

    @Activate
    public ConnectorResource(@Reference ConnectorRegistry registry) {
        this.registry = registry;
    }

    @GET
    public Map<String, Object> list() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("triggers", registry.triggerTypes());
        body.put("actions", registry.actionTypes());
        return body;
    }
}
