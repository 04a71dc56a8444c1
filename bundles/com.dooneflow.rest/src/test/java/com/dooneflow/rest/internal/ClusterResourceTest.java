package com.dooneflow.rest.internal;

import static com.dooneflow.rest.internal.TestProxies.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.User;
import com.dooneflow.testing.InMemoryClusterService;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET /v1/cluster/nodes} for installation administrators only; {@code /v1/me} and {@code /v1/health}. */
class ClusterResourceTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Principal ADMIN = Principal.user("admin-id", "admin@example.com", "t1", null);
    private static final Principal OWNER = Principal.user("owner-id", "owner@example.com", "t2", null);

    private final List<Principal> asked = new ArrayList<>();
    private final AccessService access = proxy(AccessService.class, (name, args) -> switch (name) {
        case "isInstallationAdmin" -> {
            asked.add((Principal) args[0]);
            yield args[0] == ADMIN;
        }
        case "me" -> new User(((Principal) args[0]).userId(), ((Principal) args[0]).email(), NOW, args[0] == ADMIN);
        case "authenticate" -> "dft_admin".equals(args[0]) ? Optional.of(ADMIN) : Optional.empty();
        case "hasPassword" -> false;
        default -> throw new UnsupportedOperationException(name);
    });
    private final InMemoryClusterService cluster = cluster(EnumSet.of(NodeRole.WORKER, NodeRole.POLLER));

    @Test
    void anInstallationAdministratorSeesEveryNodeWithItsDetails() throws Exception {
        JsonNode body = json(new ClusterResource(access, cluster).nodes(new Caller(ADMIN)));

        assertThat(body.path("items")).hasSize(2);
        JsonNode first = body.path("items").path(0);
        assertThat(fieldNames(first)).containsExactlyInAnyOrder("id", "address", "version", "startedAt", "heartbeatAt",
                "alive", "runningExecutions", "inboxesPolled", "actionTypes", "roles");
        assertThat(first.path("id").asText()).isEqualTo("node-1");
        assertThat(first.path("address").asText()).isEqualTo("http://10.0.0.1:8181");
        assertThat(first.path("startedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(first.path("runningExecutions").asInt()).isEqualTo(3);
        assertThat(first.path("inboxesPolled").asInt()).isEqualTo(2);
        assertThat(first.path("actionTypes").get(0).asText()).isEqualTo("webhook.call");
        assertThat(first.path("roles").get(0).asText()).isEqualTo("worker");
        assertThat(body.path("items").path(1).path("alive").asBoolean()).isFalse();
        assertThat(body.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void anyoneElseIsRefusedWithAProblem() {
        ClusterResource resource = new ClusterResource(access, cluster);

        assertThatThrownBy(() -> resource.nodes(new Caller(OWNER))).isInstanceOf(ForbiddenException.class);
        Response r = new ProblemMapper().toResponse(catchForbidden(resource));

        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(String.valueOf(r.getMediaType())).isEqualTo(Problem.MEDIA_TYPE);
        assertThat((String) r.getEntity()).contains("installation administrators");
        assertThat(asked).contains(OWNER);
    }

    @Test
    void withoutATokenTheFilterAnswers401BeforeTheResource() throws Exception {
        AuthFilter filter = new AuthFilter(access, 20, java.time.Clock.systemUTC(), message -> { });
        var method = ClusterResource.class.getMethod("nodes", SecurityContext.class);
        filter.resourceInfo = proxy(ResourceInfo.class, (name, args) -> switch (name) {
            case "getResourceMethod" -> method;
            case "getResourceClass" -> ClusterResource.class;
            default -> throw new UnsupportedOperationException(name);
        });
        Response[] aborted = new Response[1];
        filter.filter(proxy(ContainerRequestContext.class, (name, args) -> switch (name) {
            case "getHeaderString" -> null;
            case "abortWith" -> {
                aborted[0] = (Response) args[0];
                yield null;
            }
            default -> throw new UnsupportedOperationException(name);
        }));

        assertThat(aborted[0].getStatus()).isEqualTo(401);
        assertThat(aborted[0].getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(asked).as("the resource never ran").isEmpty();
    }

    @Test
    void meSaysWhetherTheTokenActsAsAnInstallationAdministrator() throws Exception {
        OrganizationService organizations = proxy(OrganizationService.class, (name, args) -> {
            if (name.equals("list")) {
                return List.<Organization>of();
            }
            throw new UnsupportedOperationException(name);
        });
        MeResource me = new MeResource(access, organizations, null);

        assertThat(me.me(new Caller(ADMIN)).get("installationAdmin")).isEqualTo(true);
        assertThat(me.me(new Caller(OWNER)).get("installationAdmin")).isEqualTo(false);
    }

    @Test
    void healthNamesTheNodeItsRolesAndWhetherItsWorkerClaims() {
        cluster.reportClaiming(true);
        Map<String, Object> worker = HealthResource.node(cluster);
        assertThat(worker).containsEntry("node", "node-1").containsEntry("roles", List.of("worker", "poller"))
                .containsEntry("claiming", true);
        cluster.reportClaiming(false);
        assertThat(HealthResource.node(cluster)).containsEntry("claiming", false);

        Map<String, Object> api = HealthResource.node(cluster(EnumSet.of(NodeRole.API)));
        assertThat(api).containsEntry("roles", List.of("api")).doesNotContainKey("claiming");
        assertThat(HealthResource.node(null)).as("the cluster service not started yet").isEmpty();
    }

    private static ForbiddenException catchForbidden(ClusterResource resource) {
        try {
            resource.nodes(new Caller(OWNER));
        } catch (ForbiddenException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    /** Two nodes, the second dead; this node is node-1 with the given roles. */
    private static InMemoryClusterService cluster(Set<NodeRole> roles) {
        return new InMemoryClusterService("node-1", roles).withNodes(List.of(
                new ClusterNode("node-1", "http://10.0.0.1:8181", "0.1.0", NOW, NOW, true, 3, 2, List.of("webhook.call"),
                        List.of("worker", "poller")),
                new ClusterNode("node-2", NOW, NOW, false, 0)));
    }

    private static JsonNode json(Object entity) throws Exception {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(entity));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
