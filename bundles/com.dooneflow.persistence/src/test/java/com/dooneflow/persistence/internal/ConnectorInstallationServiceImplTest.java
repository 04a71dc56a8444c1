package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallation.NodeState;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.ValidationException;

/** The desired connector features and what each living node reached, matched by generation. */
class ConnectorInstallationServiceImplTest extends DatabaseTestBase {

    private static final String REPO = "mvn:com.acme/acme-connector/1.0.0/xml/features";

    private ConnectorInstallationServiceImpl service(DbKind kind) {
        Instant now = Instant.now();
        List<ClusterNode> nodes = List.of(new ClusterNode("n1", now, now, true, 0), new ClusterNode("n2", now, now, true, 0),
                new ClusterNode("gone", now, now.minusSeconds(60), false, 0));
        return new ConnectorInstallationServiceImpl(db(kind), () -> nodes, Clock.systemUTC());
    }

    @OnBothDatabases
    void anInstallIsPendingOnEveryLivingNodeUntilEachReportsThisGeneration(DbKind kind) {
        on(kind).wipe("df_connector_node_state", "df_connector_desired");
        ConnectorInstallationServiceImpl service = service(kind);
        long before = service.generation();

        ConnectorInstallation entry = service.install(REPO, "acme-connector", null, null);

        assertThat(entry.generation()).isGreaterThan(before);
        assertThat(service.generation()).isEqualTo(entry.generation());
        assertThat(entry.installed()).isTrue();
        assertThat(entry.nodes()).extracting(NodeState::node).containsExactly("n1", "n2");
        assertThat(entry.nodes()).extracting(NodeState::state).containsOnly("pending");

        service.report("n1", "acme-connector", entry.generation(), "installed", null);
        service.report("n2", "acme-connector", entry.generation(), "failed", "Unable to resolve acme");
        assertThat(service.list().get(0).nodes()).extracting(NodeState::state).containsExactly("installed", "failed");
        assertThat(service.list().get(0).nodes().get(1).reason()).isEqualTo("Unable to resolve acme");

        ConnectorInstallation removed = service.uninstall("acme-connector", null);
        assertThat(removed.installed()).isFalse();
        assertThat(removed.nodes()).as("the older reports answer the install, not the removal")
                .extracting(NodeState::state).containsOnly("pending");
        service.report("n1", "acme-connector", removed.generation(), "removed", null);
        assertThat(service.list().get(0).nodes()).extracting(NodeState::state).containsExactly("removed", "pending");
    }

    @OnBothDatabases
    void installingAgainReplacesTheEntry(DbKind kind) {
        on(kind).wipe("df_connector_node_state", "df_connector_desired");
        ConnectorInstallationServiceImpl service = service(kind);
        service.install(REPO, "acme-connector", null, null);
        service.install("file:connectors/acme-features.xml", "acme-connector", "1.0.1", null);

        assertThat(service.list()).singleElement().satisfies(e -> {
            assertThat(e.repository()).isEqualTo("file:connectors/acme-features.xml");
            assertThat(e.version()).isEqualTo("1.0.1");
        });
    }

    @OnBothDatabases
    void badInputNamesEveryFieldAndRecordsNothing(DbKind kind) {
        on(kind).wipe("df_connector_node_state", "df_connector_desired");
        ConnectorInstallationServiceImpl service = service(kind);

        assertThatThrownBy(() -> service.install("https://evil.example/features.xml", "dooneflow-core", "x y", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("repository", "feature", "version"));
        assertThat(service.list()).isEmpty();
        assertThatThrownBy(() -> service.uninstall("never-installed", null)).isInstanceOf(NotFoundException.class);
    }
}
