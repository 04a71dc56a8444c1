package com.dooneflow.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.ClusterService;

/** The nodes sharing the database, with the columns of {@code GET /v1/cluster/nodes}. */
@Service
@Command(scope = "dooneflow", name = "node-list", description = "Lists the nodes sharing the database")
public class NodeListCommand implements Action {

    @Reference
    ClusterService cluster;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Node", "Address", "Version", "Roles", "Alive", "Started", "Last heartbeat",
                "Running", "Inboxes", "Action types"}) {
            table.column(column);
        }
        for (ClusterNode n : cluster.nodes()) {
            table.addRow().addContent(n.id() + (n.id().equals(cluster.nodeId()) ? " (this node)" : ""),
                    orDash(n.address()), orDash(n.version()), String.join(",", n.roles()), n.alive() ? "yes" : "no",
                    n.startedAt(), n.heartbeatAt(), n.runningExecutions(), n.inboxesPolled(),
                    String.join(",", n.actionTypes()));
        }
        table.print(out);
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }
}
