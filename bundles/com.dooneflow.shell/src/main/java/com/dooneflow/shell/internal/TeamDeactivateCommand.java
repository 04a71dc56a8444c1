package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "dooneflow", name = "team-deactivate",
        description = "Takes a team member out of the rotation; their assignment history stays")
public class TeamDeactivateCommand extends TeamSwitchCommand {

    @Override
    boolean active() {
        return false;
    }
}
