package com.dooneflow.connector.email.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "dooneflow", name = "inbox-poll",
        description = "Polls an email inbox now instead of at its next interval")
public class InboxPollCommand implements Action {

    @Reference
    EmailPollers pollers;

    @Argument(index = 0, name = "id", required = true, description = "Inbox id")
    @Completion(InboxIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        var result = pollers.pollNow(id);
        if (result.isEmpty()) {
            System.out.println("Inbox " + id + " is not polled on this node: it does not exist or is not active.");
            return null;
        }
        var r = result.get();
        System.out.println("Inbox " + id + ": " + r.status() + "; " + r.processed() + " new emails processed"
                + (r.error() == null ? "" : "; " + r.error()));
        return null;
    }
}
