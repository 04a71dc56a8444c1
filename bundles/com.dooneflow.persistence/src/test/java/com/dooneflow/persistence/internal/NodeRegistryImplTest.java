package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.WEBHOOK;
import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.Lease;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.store.Claim;

/** Nodes beat; a node that stops beating has its executions and leases taken over at once, fenced. */
class NodeRegistryImplTest extends DatabaseTestBase {

    private static final Duration DEAD_AFTER = Duration.ofSeconds(10);

    /** A node whose clock the test sets. */
    private NodeRegistryImpl node(DbKind kind, String id, Instant at) {
        return new NodeRegistryImpl(db(kind), id, Clock.fixed(at, ZoneOffset.UTC), DEAD_AFTER);
    }

    @OnBothDatabases
    void aNodeThatStopsBeatingHasItsWorkTakenOverByTheOthersAndCanNoLongerWrite(DbKind kind) {
        on(kind).wipe("df_execution_step", "df_execution", "df_trigger_event", "df_node");
        ExecutionStoreImpl store = new ExecutionStoreImpl(db(kind));
        String org = newOrganization(on(kind));
        new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        store.intake(org, WEBHOOK, List.of(), null, "{}");
        Instant t0 = Instant.now();
        String dying = "node_a-" + newId().substring(0, 8); // '_' must not act as LIKE's wildcard
        node(kind, dying, t0.minusSeconds(20)); // its last beat
        Claim held = store.claim(dying, 10, Duration.ofMinutes(5)).get(0);
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), dying);
        Lease inbox = leases.tryAcquire("inbox-" + newId(), dying, Duration.ofMinutes(5)).orElseThrow();

        NodeRegistryImpl survivor = node(kind, "node-b", t0.minusSeconds(15));
        assertThat(survivor.nodes()).extracting(ClusterNode::id).contains(dying, "node-b");
        assertThat(store.claim("node-b", 10, Duration.ofMinutes(5))).as("its lease still runs").isEmpty();

        NodeRegistryImpl later = node(kind, "node-b", t0); // 20 s after the dying node's last beat
        later.beat();

        Claim taken = store.claim("node-b", 10, Duration.ofMinutes(5)).get(0);
        assertThat(taken.execution().id()).isEqualTo(held.execution().id());
        assertThat(taken.interrupted()).isTrue();
        assertThat(store.renew(held, Duration.ofMinutes(5))).as("the dead node is fenced off").isFalse();
        assertThat(leases.tryAcquire(inbox.name(), "node-b", Duration.ofMinutes(1))).as("its inbox moves").isPresent();
        ClusterNode dead = later.nodes().stream().filter(n -> n.id().equals(dying)).findFirst().orElseThrow();
        assertThat(dead.alive()).isFalse();
        assertThat(later.nodes().stream().filter(n -> n.id().equals("node-b")).findFirst().orElseThrow()
                .runningExecutions()).isEqualTo(1);
        store.close();
    }

    @OnBothDatabases
    void aRestartedNodeTakesBackItsOwnUnfinishedClaimsAtOnce(DbKind kind) {
        on(kind).wipe("df_execution_step", "df_execution", "df_trigger_event", "df_node");
        ExecutionStoreImpl store = new ExecutionStoreImpl(db(kind));
        String org = newOrganization(on(kind));
        new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        store.intake(org, WEBHOOK, List.of(), null, "{}");
        String id = "node-c-" + newId().substring(0, 8);
        node(kind, id, Instant.now());
        Claim before = store.claim(id, 10, Duration.ofMinutes(5)).get(0);

        node(kind, id, Instant.now()); // the same node, started again after a crash

        Claim again = store.claim(id, 10, Duration.ofMinutes(5)).get(0);
        assertThat(again.execution().id()).isEqualTo(before.execution().id());
        assertThat(again.interrupted()).isTrue();
        store.close();
    }

    @OnBothDatabases
    void anExecutionWaitingForAConnectorGoesAtOnceToANodeThatRunsIt(DbKind kind) {
        on(kind).wipe("df_execution_step", "df_execution", "df_trigger_event", "df_node");
        ExecutionStoreImpl store = new ExecutionStoreImpl(db(kind));
        String org = newOrganization(on(kind));
        new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        store.intake(org, WEBHOOK, List.of(), null, "{}");
        NodeRegistryImpl withConnector = node(kind, "node-with", Instant.now());
        withConnector.advertise(java.util.Set.of("acme.echo", "webhook.call"));
        node(kind, "node-without", Instant.now()).advertise(java.util.Set.of("webhook.call"));

        // The node without the connector meets the step first and parks the execution: due again at once.
        Claim first = store.claim("node-without", 10, Duration.ofMinutes(5), 16, Map.of(), java.util.Set.of("webhook.call"))
                .get(0);
        assertThat(store.waiting(first, "acme.echo", Instant.now().plusSeconds(3600))).isTrue();

        assertThat(store.claim("node-without", 10, Duration.ofMinutes(5), 16, Map.of(), java.util.Set.of("webhook.call")))
                .as("not for a node without the connector").isEmpty();
        List<Claim> taken = store.claim("node-with", 10, Duration.ofMinutes(5), 16, Map.of(),
                java.util.Set.of("acme.echo", "webhook.call"));
        assertThat(taken).extracting(c -> c.execution().id()).containsExactly(first.execution().id());
        store.close();
    }

    @Test
    void theNodeIdIsConfiguredOrKeptAcrossRestarts(@TempDir Path data) throws Exception {
        assertThat(NodeIdentity.resolve(new Settings(Map.of("nodeId", "eu-1"), Map.of()), data)).isEqualTo("eu-1");
        assertThat(NodeIdentity.resolve(new Settings(Map.of("nodeId", "eu-1"), Map.of(NodeIdentity.ENV, "eu-2")), data))
                .isEqualTo("eu-2");

        String generated = NodeIdentity.resolve(new Settings(Map.of(), Map.of()), data);
        assertThat(generated).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,59}");
        assertThat(Files.readString(data.resolve("dooneflow-node-id")).trim()).isEqualTo(generated);
        assertThat(NodeIdentity.resolve(new Settings(Map.of(), Map.of()), data)).isEqualTo(generated);

        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                NodeIdentity.resolve(new Settings(Map.of("nodeId", "a b"), Map.of()), data))
                .hasMessageContaining("nodeId (DOONEFLOW_NODE_ID)");
    }

    @OnBothDatabases
    void theNodesListShowsWhatEachNodePublishesAndHolds(DbKind kind) {
        on(kind).wipe("df_execution_step", "df_execution", "df_trigger_event", "df_node");
        Instant now = Instant.now();
        NodeRegistryImpl api = new NodeRegistryImpl(db(kind), "node-api", Clock.fixed(now, ZoneOffset.UTC), DEAD_AFTER,
                EnumSet.of(NodeRole.API), "https://flows.example.com", "1.2.0");
        NodeRegistryImpl worker = new NodeRegistryImpl(db(kind), "node-work", Clock.fixed(now, ZoneOffset.UTC),
                DEAD_AFTER, EnumSet.of(NodeRole.WORKER, NodeRole.POLLER), "http://10.0.0.2:8181", "1.2.0");
        api.advertise(Set.of("webhook.call"));
        worker.advertise(Set.of("webhook.call", "twilio.sms.send"));
        LeaseServiceImpl leases = new LeaseServiceImpl(db(kind), "node-work");
        leases.tryAcquire(NodeRegistryImpl.INBOX_LEASES + newId(), "node-work", Duration.ofMinutes(5)).orElseThrow();
        leases.tryAcquire(NodeRegistryImpl.INBOX_LEASES + newId(), "node-work", Duration.ofMinutes(5)).orElseThrow();
        leases.tryAcquire("something-else-" + newId(), "node-work", Duration.ofMinutes(5)).orElseThrow();
        leases.tryAcquire(NodeRegistryImpl.INBOX_LEASES + newId(), "node-work", Duration.ofSeconds(-1)).orElseThrow();

        List<ClusterNode> nodes = api.nodes();

        assertThat(nodes).extracting(ClusterNode::id).containsExactly("node-api", "node-work");
        ClusterNode a = nodes.get(0);
        assertThat(a.address()).isEqualTo("https://flows.example.com");
        assertThat(a.version()).isEqualTo("1.2.0");
        assertThat(a.roles()).containsExactly("api");
        assertThat(a.actionTypes()).as("not a worker: advertises no action types").isEmpty();
        assertThat(a.alive()).isTrue();
        assertThat(a.inboxesPolled()).isZero();
        ClusterNode w = nodes.get(1);
        assertThat(w.roles()).containsExactly("worker", "poller");
        assertThat(w.actionTypes()).containsExactly("twilio.sms.send", "webhook.call");
        assertThat(w.inboxesPolled()).as("its live inbox leases, not other or expired ones").isEqualTo(2);
        assertThat(w.address()).isEqualTo("http://10.0.0.2:8181");
        assertThat(api.roles()).containsExactly(NodeRole.API);
        assertThat(api.claiming()).as("not a worker: never claiming").isFalse();
        api.reportClaiming(true);
        assertThat(api.claiming()).isFalse();
        worker.reportClaiming(true);
        assertThat(worker.claiming()).isTrue();
        worker.reportClaiming(false);
        assertThat(worker.claiming()).isFalse();
    }

    @Test
    void rolesAreReadFromTheEnvironmentOrTheConfigurationAndAnUnknownOneIsNamed() {
        assertThat(NodeRegistryImpl.roles(new Settings(Map.of(), Map.of()))).containsExactlyInAnyOrder(NodeRole.values());
        assertThat(NodeRegistryImpl.roles(new Settings(Map.of("roles", "worker"), Map.of()))).containsExactly(NodeRole.WORKER);
        assertThat(NodeRegistryImpl.roles(new Settings(Map.of("roles", "worker"), Map.of("DOONEFLOW_ROLES", " api , Poller"))))
                .containsExactlyInAnyOrder(NodeRole.API, NodeRole.POLLER);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                NodeRegistryImpl.roles(new Settings(Map.of(), Map.of("DOONEFLOW_ROLES", "api,wroker"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'wroker'")
                .hasMessageContaining("DOONEFLOW_ROLES");
    }

    @Test
    void theAddressIsThePublicUrlElseTheInterfaceOrHostNameAndPort() {
        assertThat(NodeAddress.resolve(new Settings(Map.of(), Map.of("DOONEFLOW_PUBLIC_URL", "https://flows.example.com/",
                "DOONEFLOW_HTTP_HOST", "10.0.0.5")), "8181")).isEqualTo("https://flows.example.com");
        assertThat(NodeAddress.resolve(new Settings(Map.of(), Map.of("DOONEFLOW_HTTP_HOST", "10.0.0.5",
                "DOONEFLOW_HTTP_PORT", "9090")), "8181")).isEqualTo("http://10.0.0.5:9090");
        assertThat(NodeAddress.resolve(new Settings(Map.of(), Map.of("DOONEFLOW_HTTP_HOST", "::1")), "8182"))
                .isEqualTo("http://[::1]:8182");
        assertThat(NodeAddress.resolve(new Settings(Map.of(), Map.of("DOONEFLOW_HTTP_HOST", "0.0.0.0")), null))
                .as("every interface: the host name").startsWith("http://").endsWith(":8181").doesNotContain("0.0.0.0");
    }

    @Test
    void theVersionIsWrittenAsTheDistributionIsNamed() {
        assertThat(NodeRegistryImpl.version(new org.osgi.framework.Version("0.1.0.SNAPSHOT"))).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(NodeRegistryImpl.version(new org.osgi.framework.Version("1.2.3"))).isEqualTo("1.2.3");
    }
}
