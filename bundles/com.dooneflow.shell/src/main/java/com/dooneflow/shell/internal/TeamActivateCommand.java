package com.dooneflow.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "dooneflow", name = "team-activate", description = "Brings a team member back into the rotation")
public class TeamActivateCommand extends TeamSwitchCommand {

    @Override
    boolean active() {
        return true;
    }
}
