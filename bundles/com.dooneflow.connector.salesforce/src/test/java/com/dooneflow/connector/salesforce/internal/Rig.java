package com.dooneflow.connector.salesforce.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.dooneflow.testing.InMemoryStepJournal;
import com.dooneflow.testing.MutableClock;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/** The connector wired to in-memory core services, talking to {@link SalesforceFake}s on loopback. */
final class Rig implements AutoCloseable {

    static final String PUBLIC_URL = "https://flows.example.com";

    final InMemoryConnectorSettings store = new InMemoryConnectorSettings();
    final RecordingEventLog events = new RecordingEventLog();
    final MutableClock clock = new MutableClock();
    final InMemoryStepJournal journal = new InMemoryStepJournal();
    final TestOutboundHttp outbound = TestOutboundHttp.allowing("127.0.0.1/32");
    final SalesforceConnections connections;
    final WriteRecordAction action;

    Rig() {
        this(Duration.ofSeconds(5));
    }

    /** Loopback is reachable only because the test allow-lists it, as an administrator would. */
    Rig(Duration httpTimeout) {
        connections = new SalesforceConnections(store, organizations(), events,
                outbound, PUBLIC_URL, clock, httpTimeout);
        action = new WriteRecordAction(connections, journal, clock);
    }

    /** Organization "org-1" with an owner and a member; everyone else is a stranger. */
    static InMemoryOrganizationService organizations() {
        return new InMemoryOrganizationService().grant(Fakes.OWNER, Fakes.ORG, Role.OWNER)
                .grant(Fakes.MEMBER, Fakes.ORG, Role.MEMBER);
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
        outbound.close();
    }
}
