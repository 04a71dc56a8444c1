package com.dooneflow.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.ConnectorInstallation;
import com.dooneflow.api.ConnectorInstallationService;
import com.dooneflow.api.audit.AuditLog;

/** {@code dooneflow:connector-uninstall <feature>}: as {@code DELETE /v1/connectors/install/{feature}}. */
@Service
@Command(scope = "dooneflow", name = "connector-uninstall",
        description = "Uninstalls a connector feature installed cluster-wide from every node")
public class ConnectorUninstallCommand implements Action {

    @Reference
    ConnectorInstallationService installations;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "feature", required = true, description = "the feature's name")
    String feature;

    @Override
    public Object execute() {
        run(System.out);
        return null;
    }

    void run(PrintStream out) {
        ConnectorInstallation entry = installations.uninstall(feature, null);
        ConsoleAudit.record(audit, null, "connector", entry.feature(), "uninstall", "change " + entry.generation());
        out.println("Every node uninstalls " + entry.feature() + " (change " + entry.generation() + "); "
                + "its workflows stay and their executions wait for it.");
    }
}
