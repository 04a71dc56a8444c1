package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.TypeDescriptor;

@Service
@Command(scope = "dooneflow", name = "connector-list", description = "Lists the trigger and action types installed now")
public class ConnectorListCommand implements Action {

    @Reference
    ConnectorRegistry registry;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Type");
        table.column("Kind");
        table.column("Label");
        table.column("Running");
        table.column("Parameters");
        for (TypeDescriptor t : registry.triggerTypes()) {
            add(table, t);
        }
        for (TypeDescriptor t : registry.actionTypes()) {
            add(table, t);
        }
        table.print(System.out);
        for (ConnectorRegistry.TypeStatus s : registry.notRunning()) {
            System.out.println((s.type() == null ? "" : s.type() + " does not run: ") + s.problem());
        }
        return null;
    }

    private void add(ShellTable table, TypeDescriptor t) {
        table.addRow().addContent(t.type(), t.kind().name().toLowerCase(java.util.Locale.ROOT), t.label(),
                registry.status(t.type()).running() ? "yes" : "no", String.join(", ", t.parameters().stream().map(ParameterDescriptor::name).toList()));
    }
}
