package com.dooneflow.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.team.TeamService;

/** Completes team member ids of every organization. */
@Service
public class TeamMemberIdCompleter implements Completer {

    @Reference
    OrganizationService organizations;

    @Reference
    TeamService team;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        organizations.list(Principal.SYSTEM).forEach(o -> team.list(Principal.SYSTEM, o.id(), 500, null)
                .items().forEach(m -> delegate.getStrings().add(m.id())));
        return delegate.complete(session, commandLine, candidates);
    }
}
