package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "dooneflow", name = "workflow-disable", description = "Disables a workflow")
public class WorkflowDisableCommand extends WorkflowSwitchCommand {

    @Override
    boolean enabled() {
        return false;
    }
}
