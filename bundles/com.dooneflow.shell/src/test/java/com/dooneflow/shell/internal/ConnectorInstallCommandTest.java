package com.dooneflow.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallation.NodeState;
import com.dooneflow.api.ConnectorInstallationService;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.testing.RecordingAuditLog;

/**
 * The console records cluster-wide installs as the REST API does, writes them to the installation's audit log, and
 * shows each node's state.
 */
class ConnectorInstallCommandTest {

    private final List<String> calls = new ArrayList<>();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final ConnectorInstallationService service = new ConnectorInstallationService() {
        @Override
        public ConnectorInstallation install(String repository, String feature, String version, String requestedBy) {
            calls.add("install " + repository + " " + feature + " " + version);
            return entry(feature, true);
        }

        @Override
        public ConnectorInstallation uninstall(String feature, String requestedBy) {
            calls.add("uninstall " + feature);
            return entry(feature, false);
        }

        @Override
        public List<ConnectorInstallation> list() {
            return List.of(new ConnectorInstallation("acme-connector", "mvn:com.acme/acme/1.0/xml/features", null, true, 7,
                    Instant.EPOCH, List.of(new NodeState("node-1", "installed", null, Instant.EPOCH),
                            new NodeState("node-2", "failed", "Unable to resolve", Instant.EPOCH))));
        }

        @Override
        public long generation() {
            return 7;
        }

        @Override
        public void report(String nodeId, String feature, long generation, String state, String reason) {
        }
    };

    private static ConnectorInstallation entry(String feature, boolean installed) {
        return new ConnectorInstallation(feature, "mvn:com.acme/acme/1.0/xml/features", null, installed, 8, Instant.EPOCH,
                List.of());
    }

    @Test
    void installsAndUninstallsThroughTheService() {
        ConnectorInstallCommand install = new ConnectorInstallCommand();
        install.installations = service;
        install.audit = audit;
        install.repository = "mvn:com.acme/acme/1.0/xml/features";
        install.feature = "acme-connector";
        install.version = "1.0";
        String said = run(install::run);
        ConnectorUninstallCommand uninstall = new ConnectorUninstallCommand();
        uninstall.installations = service;
        uninstall.audit = audit;
        uninstall.feature = "acme-connector";
        run(uninstall::run);

        assertThat(calls).containsExactly("install mvn:com.acme/acme/1.0/xml/features acme-connector 1.0",
                "uninstall acme-connector");
        assertThat(said).contains("Every node installs acme-connector (change 8)");
        assertThat(audit.recorded()).extracting(AuditEntry::organizationId, AuditEntry::actorEmail, AuditEntry::clientAddress,
                AuditEntry::objectType, AuditEntry::objectId, AuditEntry::action, AuditEntry::summary).containsExactly(
                tuple(null, "system", "console", "connector", "acme-connector", "install",
                        "repository mvn:com.acme/acme/1.0/xml/features, version newest, change 8"),
                tuple(null, "system", "console", "connector", "acme-connector", "uninstall", "change 8"));
    }

    @Test
    void withoutArgumentsListsEachNodesState() {
        ConnectorInstallCommand list = new ConnectorInstallCommand();
        list.installations = service;

        String table = run(list::run);

        assertThat(table).contains("acme-connector", "node-1", "installed", "node-2", "failed", "Unable to resolve");
        assertThat(calls).isEmpty();
        assertThat(audit.recorded()).isEmpty();
    }

    private static String run(java.util.function.Consumer<PrintStream> command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
