package com.dooneflow.rest.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
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
import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallationService;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.ConnectorRegistry.TypeStatus;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.fasterxml.jackson.core.type.TypeReference;

/**
 * {@code GET /v1/connectors}: the trigger and action types installed right now, with their parameters, whether each
 * runs on this node and, when not, why; the connectors' settings pages; and the descriptor files that could not be
 * read; each action type with the living nodes that run it. Under {@code install}, the connector features installed
 * cluster-wide (installation administrators only): every node converges to them.
 */
@Component(service = ConnectorResource.class)
@DooneFlowResource
@Path("v1/connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final ConnectorRegistry registry;
    private final ClusterService cluster;
    private final AccessService access;
    private final ConnectorInstallationService installations;

    @Activate
    public ConnectorResource(@Reference ConnectorRegistry registry, @Reference ClusterService cluster,
                             @Reference AccessService access, @Reference ConnectorInstallationService installations) {
        this.registry = registry;
        this.cluster = cluster;
        this.access = access;
        this.installations = installations;
    }

    @GET
    public Map<String, Object> list() {
        List<ClusterNode> living = cluster.nodes().stream().filter(ClusterNode::alive).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("triggers", registry.triggerTypes().stream().map(this::withStatus).toList());
        body.put("actions", registry.actionTypes().stream().map(type -> withNodes(withStatus(type), living)).toList());
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

    /** The living nodes that run the action type (each publishes the types it runs with its beats). */
    private static Map<String, Object> withNodes(Map<String, Object> fields, List<ClusterNode> living) {
        Object type = fields.get("type");
        fields.put("nodes", living.stream().filter(n -> n.actionTypes().contains(type)).map(ClusterNode::id).toList());
        return fields;
    }

    /** {@code POST /v1/connectors/install}: every node is to install the feature. */
    @POST
    @Path("install")
    @Consumes(MediaType.APPLICATION_JSON)
    public ConnectorInstallation install(@Context SecurityContext security, InstallBody body) {
        Principal caller = installationAdmin(security);
        if (body == null) {
            throw ValidationException.of("body", "is required: {\"repository\", \"feature\", \"version\"?}");
        }
        return installations.install(body.repository(), body.feature(), body.version(), caller.userId());
    }

    /** The body of an install: the features repository URL, the feature's name and, optionally, its version. */
    public record InstallBody(String repository, String feature, String version) {
    }

    /** {@code GET /v1/connectors/install}: the entries, each with the state every living node reached. */
    @GET
    @Path("install")
    public Dto.Items<ConnectorInstallation> installed(@Context SecurityContext security) {
        installationAdmin(security);
        return Dto.Items.of(installations.list());
    }

    /** {@code DELETE /v1/connectors/install/{feature}}: every node is to uninstall the feature. */
    @DELETE
    @Path("install/{feature}")
    public ConnectorInstallation uninstall(@Context SecurityContext security, @PathParam("feature") String feature) {
        return installations.uninstall(feature, installationAdmin(security).userId());
    }

    private Principal installationAdmin(SecurityContext security) {
        Principal caller = Caller.of(security);
        if (!access.isInstallationAdmin(caller)) {
            throw new ForbiddenException("Only installation administrators install connectors cluster-wide "
                    + "(granted with dooneflow:installation-admin-grant); a token scoped to one organization never does.");
        }
        return caller;
    }
}
