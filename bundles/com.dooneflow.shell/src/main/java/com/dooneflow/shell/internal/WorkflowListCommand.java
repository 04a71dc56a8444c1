package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.WorkflowService;

@Service
@Command(scope = "dooneflow", name = "workflow-list", description = "Lists workflows (of one organization or all)")
public class WorkflowListCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    WorkflowService workflows;

    @Argument(index = 0, name = "orgId", required = false, description = "Organization id (default: all)")
    @Completion(OrganizationIdCompleter.class)
    String orgId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Organization");
        table.column("Name");
        table.column("Enabled");
        table.column("Version");
        table.column("Trigger");
        table.column("Actions");
        organizations.list(Principal.SYSTEM).stream().filter(o -> orgId == null || o.id().equals(orgId))
                .forEach(o -> workflows.list(Principal.SYSTEM, o.id(), 500, null).items()
                        .forEach(w -> table.addRow().addContent(w.id(), o.name(), w.name(), w.enabled(), w.version(),
                                w.trigger().type(), String.join(", ", w.actions().stream().map(StepSpec::type).toList()))));
        table.print(System.out);
        return null;
    }
}
