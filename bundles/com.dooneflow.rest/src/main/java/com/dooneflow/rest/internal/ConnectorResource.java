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
import com.dooneflow.api.ConnectorRegistry.TypeStatus;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.fasterxml.jackson.core.type.TypeReference;

/**
 * {@code GET /v1/connectors}: the trigger and action types installed right now, with their parameters, whether each
 * runs on this node and, when not, why; the connectors' settings pages; and the descriptor files that could not be
 * read.
 */
@Component(service = ConnectorResource.class)
@DooneFlowResource
@Path("v1/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final ConnectorRegistry registry;

    @Activate
    public ConnectorResource(@Reference ConnectorRegistry registry) {
        this.registry = registry;
    }

    @GET
    public Map<String, Object> list() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("triggers", registry.triggerTypes().stream().map(this::withStatus).toList());
        body.put("actions", registry.actionTypes().stream().map(this::withStatus).toList());
        body.put("settings", registry.settingsPages().stream().map(this::withStatus).toList());
        body.put("errors", registry.notRunning().stream().filter(s -> s.type() == null)
                .map(s -> Map.of("bundle", s.bundle(), "problem", s.problem())).toList());
        return body;
    }

    private Map<String, Object> withStatus(ConnectorRegistry.SettingsPage page) {
        Map<String, Object> fields = Json.MAPPER.convertValue(page.descriptor(), FIELDS);
        fields.put("running", page.running());
        fields.put("bundle", page.bundle());
        return fields;
    }

    private Map<String, Object> withStatus(TypeDescriptor type) {
        Map<String, Object> fields = Json.MAPPER.convertValue(type, FIELDS);
        TypeStatus status = registry.status(type.type());
        fields.put("running", status.running());
        fields.put("bundle", status.bundle());
        fields.put("problem", status.problem());
        return fields;
    }
}
