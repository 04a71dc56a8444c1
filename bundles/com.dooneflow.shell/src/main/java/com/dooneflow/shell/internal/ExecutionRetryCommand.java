package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.audit.AuditLog;

@Service
@Command(scope = "dooneflow", name = "execution-retry", description = "Runs a failed execution again from its failed step")
public class ExecutionRetryCommand implements Action {

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
        executions.retry(Principal.SYSTEM, e.organizationId(), e.id());
        ConsoleAudit.record(audit, e.organizationId(), "execution", e.id(), "retry", null);
        System.out.println("Execution " + e.id() + " queued again");
        return null;
    }
}
