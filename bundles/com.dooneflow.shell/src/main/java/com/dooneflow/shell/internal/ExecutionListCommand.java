package com.dooneflow.shell.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;

@Service
@Command(scope = "dooneflow", name = "execution-list", description = "Lists the newest executions")
public class ExecutionListCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    ExecutionService executions;

    @Argument(index = 0, name = "orgId", required = false, description = "Organization id (default: all)")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Option(name = "--status", description = "queued, running, waiting, succeeded or failed")
    @Completion(values = {"queued", "running", "waiting", "succeeded", "failed"}, value = StringsCompleter.class)
    String status;

    @Option(name = "--limit", description = "How many per organization (default 20)")
    int limit = 20;

    @Override
    public Object execute() {
        ExecutionStatus filter = status == null ? null : ExecutionStatus.valueOf(status.toUpperCase(Locale.ROOT));
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Workflow");
        table.column("Status");
        table.column("Step");
        table.column("Created");
        table.column("Error / waiting for");
        organizations.list(Principal.SYSTEM).stream().filter(o -> orgId == null || o.id().equals(orgId))
                .forEach(o -> executions.list(Principal.SYSTEM, o.id(), null, filter, null, null, limit, null).items()
                        .forEach(e -> table.addRow().addContent(e.id(), e.workflowId(),
                                e.status().name().toLowerCase(Locale.ROOT), e.currentStep(), e.createdAt(),
                                e.waitingFor() != null ? "waiting for " + e.waitingFor() : e.error() == null ? "" : e.error())));
        table.print(System.out);
        return null;
    }
}
