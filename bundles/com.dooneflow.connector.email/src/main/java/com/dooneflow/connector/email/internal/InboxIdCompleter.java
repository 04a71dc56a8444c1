package com.dooneflow.connector.email.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes inbox ids. */
@Service
public class InboxIdCompleter implements Completer {

    @Reference
    EmailPollers pollers;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        pollers.inboxes().listAll().forEach(i -> delegate.getStrings().add(i.id()));
        return delegate.complete(session, commandLine, candidates);
    }
}
