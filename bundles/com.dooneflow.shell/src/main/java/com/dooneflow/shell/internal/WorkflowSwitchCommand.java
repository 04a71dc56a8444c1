package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowService;
import com.dooneflow.api.audit.AuditLog;

/** Turns a workflow on or off; the two commands differ only in which. */
abstract class WorkflowSwitchCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    WorkflowService workflows;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "workflowId", required = true, description = "Workflow id")
    @Completion(WorkflowIdCompleter.class)
    String workflowId;

    abstract boolean enabled();

    @Override
    public Object execute() {
        Workflow w = Workflows.find(organizations, workflows, workflowId);
        workflows.update(Principal.SYSTEM, w.organizationId(), w.id(), new WorkflowDefinition(null, enabled(), null, null));
        ConsoleAudit.record(audit, w.organizationId(), "workflow", w.id(), "update", "fields enabled=" + enabled());
        System.out.println("Workflow " + w.name() + " is now " + (enabled() ? "enabled" : "disabled"));
        return null;
    }
}
