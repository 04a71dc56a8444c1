package com.dooneflow.connector.salesforce.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;

/** Completes organization ids for {@code dooneflow:salesforce-list}. */
@Service
public class OrganizationIdCompleter implements Completer {

    @Reference
    OrganizationService organizations;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        organizations.list(Principal.SYSTEM).forEach(o -> delegate.getStrings().add(o.id()));
        return delegate.complete(session, commandLine, candidates);
    }
}
