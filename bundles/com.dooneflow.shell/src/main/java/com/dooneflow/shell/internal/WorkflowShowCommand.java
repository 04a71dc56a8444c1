package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowService;

@Service
@Command(scope = "dooneflow", name = "workflow-show", description = "Shows a workflow's trigger and actions")
public class WorkflowShowCommand implements Action {

    @Reference
    OrganizationService organizations;

    @Reference
    WorkflowService workflows;

    @Argument(index = 0, name = "workflowId", required = true, description = "Workflow id")
    @Completion(WorkflowIdCompleter.class)
    String workflowId;

    @Override
    public Object execute() {
        Workflow w = Workflows.find(organizations, workflows, workflowId);
        System.out.println(w.name() + " (" + (w.enabled() ? "enabled" : "disabled") + ", version " + w.version() + ")");
        System.out.println("  trigger  " + w.trigger().type() + " " + w.trigger().params());
        int i = 0;
        for (StepSpec a : w.actions()) {
            System.out.println("  action " + i++ + " " + a.type() + " " + a.params());
        }
        return null;
    }
}
