package com.dooneflow.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;
import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.TypeDescriptor;

@Service
@Command(scope = "dooneflow", name = "connector-list", description = "Lists the trigger and action types installed now")
public class ConnectorListCommand implements Action {

    @Reference
    ConnectorRegistry registry;

    @Reference
    ClusterService cluster;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Type");
        table.column("Kind");
        table.column("Label");
        table.column("Running");
        table.column("Nodes");
        table.column("Parameters");
        // As GET /v1/connectors: the living nodes that publish the action type (work flows only to them).
        List<ClusterNode> living = cluster.nodes().stream().filter(ClusterNode::alive).toList();
        for (TypeDescriptor t : registry.triggerTypes()) {
            add(table, t, "");
        }
        for (TypeDescriptor t : registry.actionTypes()) {
            add(table, t, String.join(",", living.stream().filter(n -> n.actionTypes().contains(t.type()))
                    .map(ClusterNode::id).toList()));
        }
        table.print(out);
        for (ConnectorRegistry.TypeStatus s : registry.notRunning()) {
            out.println((s.type() == null ? "" : s.type() + " does not run: ") + s.problem());
        }
    }

    private void add(ShellTable table, TypeDescriptor t, String nodes) {
        table.addRow().addContent(t.type(), t.kind().name().toLowerCase(Locale.ROOT), t.label(),
                registry.status(t.type()).running() ? "yes" : "no", nodes,
                String.join(", ", t.parameters().stream().map(ParameterDescriptor::name).toList()));
    }
}
