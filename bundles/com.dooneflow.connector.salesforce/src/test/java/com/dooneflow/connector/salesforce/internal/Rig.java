package com.dooneflow.connector.salesforce.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.Principal;
import com.dooneflow.api.outbound.OutboundGuard;

/** The connector wired to in-memory core services, talking to {@link SalesforceFake}s on loopback. */
final class Rig implements AutoCloseable {

    static final String PUBLIC_URL = "https://flows.example.com";

    final Fakes.Store store = new Fakes.Store();
    final Fakes.Events events = new Fakes.Events();
    final Fakes.MutableClock clock = new Fakes.MutableClock();
    final Fakes.Journal journal = new Fakes.Journal();
    final SalesforceConnections connections;
    final WriteRecordAction action;

    Rig() {
        this(Duration.ofSeconds(5));
    }

    /** Loopback is reachable only because the test allow-lists it, as an administrator would. */
    Rig(Duration httpTimeout) {
        connections = new SalesforceConnections(store, new Fakes.Organizations(), events,
                new OutboundGuard("127.0.0.1/32"), PUBLIC_URL, clock, httpTimeout);
        action = new WriteRecordAction(connections, journal, clock);
    }

    /** Creates a connection whose login host is the fake (owner's call); returns its id. */
    String create(String name, String environment, SalesforceFake fake) {
        Map<String, Object> view = connections.create(Fakes.OWNER, Fakes.ORG, new ConnectionBody(name, environment,
                fake.baseUrl(), SalesforceFake.CLIENT_ID, SalesforceFake.CLIENT_SECRET, null));
        return view.get("id").toString();
    }

    /** Every connection of the organization as {@code caller} sees them (one page holds them all in tests). */
    List<Map<String, Object>> list(Principal caller) {
        return connections.list(caller, Fakes.ORG, ConnectionPages.MAX_LIMIT, null).items();
    }

    /** The whole browser-less flow: connect, approve at the fake, return to the callback with its parameters. */
    AuthorizationFlow.CallbackResult connect(String id, SalesforceFake fake) throws Exception {
        String callback = fake.approve(connections.connect(Fakes.OWNER, Fakes.ORG, id));
        return returnTo(callback);
    }

    /** The browser arriving at the callback URL Salesforce redirected it to. */
    AuthorizationFlow.CallbackResult returnTo(String callbackUrl) {
        Map<String, String> q = SalesforceFake.form(URI.create(callbackUrl).getRawQuery());
        return connections.callback(Fakes.ORG, q.get("state"), q.get("code"), q.get("error"),
                q.get("error_description"));
    }

    String connected(String name, String environment, SalesforceFake fake) throws Exception {
        String id = create(name, environment, fake);
        AuthorizationFlow.CallbackResult r = connect(id, fake);
        if (r.status() != 200) {
            throw new AssertionError(r.message());
        }
        return id;
    }

    @Override
    public void close() throws Exception {
        connections.close();
    }
}
