package com.dooneflow.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallationService;
import com.dooneflow.api.audit.AuditLog;

/**
 * {@code dooneflow:connector-install <repository> <feature>}: as {@code POST /v1/connectors/install}, every node of
 * the cluster installs the feature. Without arguments it lists the entries and what each node reached.
 */
@Service
@Command(scope = "dooneflow", name = "connector-install",
        description = "Installs a connector feature on every node of the cluster (without arguments: lists them)")
public class ConnectorInstallCommand implements Action {

    @Reference
    ConnectorInstallationService installations;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "repository", description = "mvn:group/artifact/version/xml/features or file:connectors/<file>")
    String repository;

    @Argument(index = 1, name = "feature", description = "the feature's name")
    String feature;

    @Option(name = "--version", description = "the feature's version or range (default: the newest)")
    String version;

    @Override
    public Object execute() {
        run(System.out);
        return null;
    }

    void run(PrintStream out) {
        if (repository == null && feature == null) {
            print(installations, out);
            return;
        }
        if (feature == null) {
            throw new IllegalArgumentException("Give the repository and the feature: connector-install <repository> <feature>");
        }
        ConnectorInstallation entry = installations.install(repository, feature, version, null);
        ConsoleAudit.record(audit, null, "connector", entry.feature(), "install", "repository " + entry.repository()
                + ", version " + (entry.version() == null ? "newest" : entry.version()) + ", change " + entry.generation());
        out.println("Every node installs " + entry.feature() + " (change " + entry.generation() + "); "
                + "connector-install without arguments shows how far each got.");
    }

    /** The entries, one line per node. */
    static void print(ConnectorInstallationService installations, PrintStream out) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Feature", "Version", "Wanted", "Repository", "Node", "State", "Reason"}) {
            table.column(column);
        }
        for (ConnectorInstallation e : installations.list()) {
            for (ConnectorInstallation.NodeState n : e.nodes()) {
                table.addRow().addContent(e.feature(), e.version() == null ? "newest" : e.version(),
                        e.installed() ? "installed" : "removed", e.repository(), n.node(), n.state(),
                        n.reason() == null ? "" : n.reason());
            }
        }
        table.print(out);
    }
}
