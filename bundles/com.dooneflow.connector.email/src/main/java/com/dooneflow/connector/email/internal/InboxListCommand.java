package com.dooneflow.connector.email.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "dooneflow", name = "inbox-list",
        description = "Lists the email inboxes of every organization with their polling status")
public class InboxListCommand implements Action {

    @Reference
    EmailPollers pollers;

    @Option(name = "--org", description = "Only this organization's inboxes")
    String orgId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Organization");
        table.column("Address");
        table.column("Server");
        table.column("Active");
        table.column("Every (s)");
        table.column("Polled here");
        table.column("Mode");
        table.column("Sign-in");
        table.column("Last polled");
        table.column("Processed");
        table.column("Last error").maxSize(80);
        var routes = pollers.routeIntervals();
        var polled = pollers.polledHere();
        pollers.inboxes().listAll().stream().filter(i -> orgId == null || orgId.equals(i.organizationId()))
                .forEach(i -> table.addRow().addContent(i.id(), i.organizationId(), i.emailAddress(),
                        i.security().id() + "://" + i.host() + ":" + i.port(), i.active(), i.pollIntervalSeconds(),
                        polledHere(i.id(), routes, polled), i.mode(),
                        i.oauth2() ? "oauth2 " + i.auth().provider() + " " + i.auth().status() : "password",
                        i.lastPolledAt() == null ? "never" : i.lastPolledAt(),
                        i.messagesProcessed(), i.lastError() == null ? "" : i.lastError()));
        table.print(System.out);
        return null;
    }

    /**
     * Whether this node reads the inbox, with its route's interval: only the node holding the lease does; the other
     * poller nodes run a route that stands by and takes the lease at its next poll after the holder stops or is
     * declared dead.
     */
    static String polledHere(String inboxId, java.util.Map<String, Integer> routes, java.util.Set<String> polled) {
        Integer every = routes.get(inboxId);
        if (every == null) {
            return "no (no route here)";
        }
        return polled.contains(inboxId) ? "yes, every " + every + " s" : "no (standing by, every " + every + " s)";
    }
}
