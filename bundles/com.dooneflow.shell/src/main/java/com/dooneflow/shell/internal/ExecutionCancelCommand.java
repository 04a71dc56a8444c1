package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "execution-cancel", description = "Cancels an execution that has not finished (a running one stops at its next step)")
public class ExecutionCancelCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    ExecutionService executions;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "executionId", required = true, description = "Execution id")
    String executionId;

    @Override
    public Object execute() {
        Execution e = Workflows.findExecution(organizations, executions, executionId);
        Execution after = executions.cancel(Principal.SYSTEM, e.organizationId(), e.id());
        ConsoleAudit.record(audit, e.organizationId(), "execution", e.id(), "cancel", null);
        System.out.println(after.status() == ExecutionStatus.CANCELLED ? "Execution " + e.id() + " cancelled"
                : "Execution " + e.id() + " is running; it stops at its next step");
        return null;
    }
}
