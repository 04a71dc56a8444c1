package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ClusterService;

@Service
@Command(scope = "dooneflow", name = "node-list", description = "Lists the nodes sharing the database")
public class NodeListCommand implements Action {

    @Reference
    ClusterService cluster;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Node");
        table.column("Alive");
        table.column("Started");
        table.column("Last heartbeat");
        table.column("Running");
        cluster.nodes().forEach(n -> table.addRow().addContent(
                n.id() + (n.id().equals(cluster.nodeId()) ? " (this node)" : ""), n.alive() ? "yes" : "no",
                n.startedAt(), n.heartbeatAt(), n.runningExecutions()));
        table.print(System.out);
        return null;
    }
}
