package com.dooneflow.connector.salesforce.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.SettingsEntry;

/** {@code dooneflow:salesforce-list [orgId]}: every Salesforce connection and its status. */
@Service
@Command(scope = "dooneflow", name = "salesforce-list",
        description = "Lists Salesforce connections (all organizations, or one) and their status")
public class SalesforceListCommand implements Action {

    @Reference
    ConnectorSettings store;

    @Argument(index = 0, name = "orgId", description = "Only this organization's connections")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Override
    public Object execute() {
        List<SettingsEntry> entries = orgId == null ? store.listAll()
                : store.list(orgId);
        print(entries, System.out);
        return null;
    }

    static void print(List<SettingsEntry> entries, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Organization");
        table.column("Name");
        table.column("Environment");
        table.column("Status");
        table.column("Instance");
        table.column("Id");
        for (SettingsEntry e : entries) {
            Connection c = Connection.of(e);
            table.addRow().addContent(e.organizationId(), c.name(), c.environment(), c.status(),
                    c.instanceUrl() == null ? "" : c.instanceUrl(), e.id());
        }
        table.print(out);
    }
}
