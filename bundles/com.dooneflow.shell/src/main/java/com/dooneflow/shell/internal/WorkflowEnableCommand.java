package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "dooneflow", name = "workflow-enable", description = "Enables a workflow")
public class WorkflowEnableCommand extends WorkflowSwitchCommand {

    @Override
    boolean enabled() {
        return true;
    }
}
