package com.dooneflow.rest.internal;

import static com.dooneflow.rest.internal.TestProxies.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallationService;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.spi.TypeDescriptor;

/**
 * {@code /v1/connectors/install} for installation administrators only; {@code GET /v1/connectors} names the living
 * nodes that run each action type.
 */
class ConnectorInstallResourceTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Principal ADMIN = Principal.user("admin-id", "admin@example.com", "t1", null);
    private static final Principal OWNER = Principal.user("owner-id", "owner@example.com", "t2", null);
    private static final ConnectorInstallation ENTRY = new ConnectorInstallation("acme-connector",
            "mvn:com.acme/acme/1.0/xml/features", null, true, 3, NOW, List.of());

    private final List<String> calls = new ArrayList<>();
    private final AccessService access = proxy(AccessService.class, (name, args) -> {
        if (name.equals("isInstallationAdmin")) {
            return args[0] == ADMIN;
        }
        throw new UnsupportedOperationException(name);
    });
    private final ConnectorInstallationService installations = proxy(ConnectorInstallationService.class, (name, args) -> {
        calls.add(name + " " + java.util.Arrays.toString(args));
        return switch (name) {
            case "install", "uninstall" -> ENTRY;
            case "list" -> List.of(ENTRY);
            default -> throw new UnsupportedOperationException(name);
        };
    });
    private final ClusterService cluster = proxy(ClusterService.class, (name, args) -> {
        if (name.equals("nodes")) {
            return List.of(
                    new ClusterNode("node-1", null, null, NOW, NOW, true, 0, 0, List.of("acme.echo", "webhook.call"), List.of()),
                    new ClusterNode("node-2", null, null, NOW, NOW, true, 0, 0, List.of("webhook.call"), List.of()),
                    new ClusterNode("node-3", null, null, NOW, NOW, false, 0, 0, List.of("acme.echo"), List.of()));
        }
        throw new UnsupportedOperationException(name);
    });
    private final ConnectorRegistry registry = proxy(ConnectorRegistry.class, (name, args) -> switch (name) {
        case "triggerTypes", "settingsPages", "notRunning" -> List.of();
        case "actionTypes" -> List.of(
                new TypeDescriptor("acme.echo", TypeDescriptor.Kind.ACTION, "Echo", "", List.of()),
                new TypeDescriptor("webhook.call", TypeDescriptor.Kind.ACTION, "Call Webhook", "", List.of()));
        case "status" -> new ConnectorRegistry.TypeStatus((String) args[0], true, "b", null);
        default -> throw new UnsupportedOperationException(name);
    });
    private final ConnectorResource resource = new ConnectorResource(registry, cluster, access, installations);

    @Test
    void anAdministratorRecordsInstallsAndRemovals() {
        assertThat(resource.install(new Caller(ADMIN), new ConnectorResource.InstallBody(
                "mvn:com.acme/acme/1.0/xml/features", "acme-connector", "1.0"))).isEqualTo(ENTRY);
        assertThat(resource.installed(new Caller(ADMIN)).items()).containsExactly(ENTRY);
        resource.uninstall(new Caller(ADMIN), "acme-connector");

        assertThat(calls).containsExactly("install [mvn:com.acme/acme/1.0/xml/features, acme-connector, 1.0, admin-id]",
                "list null", "uninstall [acme-connector, admin-id]");
    }

    @Test
    void anyoneElseIsRefusedAndNothingIsRecorded() {
        ConnectorResource.InstallBody body = new ConnectorResource.InstallBody("mvn:a/b/1", "acme-connector", null);
        assertThatThrownBy(() -> resource.install(new Caller(OWNER), body)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.installed(new Caller(OWNER))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.uninstall(new Caller(OWNER), "acme-connector"))
                .isInstanceOf(ForbiddenException.class);
        assertThat(calls).isEmpty();
    }

    @Test
    void aMissingBodyIsAValidationProblem() {
        assertThatThrownBy(() -> resource.install(new Caller(ADMIN), null)).isInstanceOf(ValidationException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachActionTypeNamesTheLivingNodesThatRunIt() {
        List<Map<String, Object>> actions = (List<Map<String, Object>>) resource.list().get("actions");

        assertThat(actions.get(0)).containsEntry("type", "acme.echo").containsEntry("nodes", List.of("node-1"));
        assertThat(actions.get(1)).containsEntry("type", "webhook.call").containsEntry("nodes", List.of("node-1", "node-2"));
    }
}
