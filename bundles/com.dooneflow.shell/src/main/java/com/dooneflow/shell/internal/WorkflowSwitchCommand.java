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

/** Turns a workflow on or off; the two commands differ only in which. */
abstract class WorkflowSwitchCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    WorkflowService workflows;

    @Argument(index = 0, name = "workflowId", required = true, description = "Workflow id")
    @Completion(WorkflowIdCompleter.class)
    String workflowId;

    abstract boolean enabled();

    @Override
    public Object execute() {
        Workflow w = Workflows.find(organizations, workflows, workflowId);
        workflows.update(Principal.SYSTEM, w.organizationId(), w.id(), new WorkflowDefinition(null, enabled(), null, null));
        System.out.println("Workflow " + w.name() + " is now " + (enabled() ? "enabled" : "disabled"));
        return null;
    }
}
