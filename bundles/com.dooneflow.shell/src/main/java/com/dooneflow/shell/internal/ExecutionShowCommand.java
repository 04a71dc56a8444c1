package com.dooneflow.shell.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.OrganizationService;

@Service
@Command(scope = "dooneflow", name = "execution-show", description = "Shows an execution and its steps")
public class ExecutionShowCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    ExecutionService executions;

    @Argument(index = 0, name = "executionId", required = true, description = "Execution id")
    String executionId;

    @Override
    public Object execute() {
        Execution e = Workflows.findExecution(organizations, executions, executionId);
        System.out.println("Execution " + e.id() + ": " + e.status().name().toLowerCase(Locale.ROOT)
                + (e.waitingFor() != null ? " (waiting for " + e.waitingFor() + ")" : "")
                + (e.error() != null ? " - " + e.error() : ""));
        System.out.println("Workflow " + e.workflowId() + " version " + e.workflowVersion() + ", trigger " + e.triggerType());
        ShellTable table = new ShellTable();
        table.column("Step");
        table.column("Type");
        table.column("Status");
        table.column("Attempts");
        table.column("Output / error");
        e.steps().forEach(s -> table.addRow().addContent(s.index(), s.type(), s.status(), s.attempts(),
                s.error() != null ? s.error() : String.valueOf(s.output())));
        table.print(System.out);
        return null;
    }
}
