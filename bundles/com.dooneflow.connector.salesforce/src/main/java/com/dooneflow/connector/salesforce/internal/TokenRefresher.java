package com.dooneflow.connector.salesforce.internal;

import static com.dooneflow.connector.salesforce.internal.Connection.ACCESS_TOKEN;
import static com.dooneflow.connector.salesforce.internal.Connection.CLIENT_SECRET;
import static com.dooneflow.connector.salesforce.internal.Connection.REFRESH_TOKEN;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.oauth.TokenRefusedException;

/**
 * Fresh access tokens when Salesforce rejects a session. Refreshes of one connection hold its entry's cluster-wide
 * lock and re-read the token inside it, so concurrent callers (threads or nodes) refresh once, and a rotated
 * refresh token is stored, with the lock, before anyone uses it. {@code invalid_grant} marks the connection
 * "needs reconnect"; other refusals (a wrong client secret...) fail the step saying what to fix. Either way the
 * organization is told once through the event log.
 */
final class TokenRefresher {

    /** The data key of the refusal last reported for a connection. */
    static final String LAST_REFUSAL = "lastRefreshRefusal";

    private final ConnectorSettings store;
    private final OAuthClient oauth;
    private final SalesforceHttp http;
    private final EventLog events;

    TokenRefresher(ConnectorSettings store, OAuthClient oauth, SalesforceHttp http, EventLog events) {
        this.store = store;
        this.oauth = oauth;
        this.http = http;
        this.events = events;
    }

    /** A connection ready to call, with its current access token. */
    record Session(Connection connection, String accessToken) {
    }

    /** The outcome of a refresh: a token to use, or why there is none. */
    sealed interface Refresh {
        record Token(Session session) implements Refresh {
        }

        /** The user must reconnect; {@code discovered}: this call found out (and logs the event, once). */
        record Reconnect(String message, boolean discovered) implements Refresh {
        }

        /**
         * Salesforce refused for another reason (a wrong client secret...): retrying will not help until the user
         * fixes what {@code message} names. {@code discovered}: this call found out (and logs the event, once).
         */
        record Refused(String message, boolean discovered) implements Refresh {
        }
    }

    /**
     * A fresh access token for a connection whose token {@code staleToken} Salesforce no longer accepts. Holds
     * the entry's lock: whoever comes second finds the token already changed and uses it without a refresh.
     * Network trouble throws {@link UncheckedIOException} (transient).
     */
    Refresh refresh(Connection stale, String staleToken) {
        Refresh outcome = store.withLock(stale.organizationId(), stale.id(), locked -> {
            Connection c = Connection.of(locked.entry());
            if (!Connection.CONNECTED.equals(c.status())) {
                return new Refresh.Reconnect(reconnectMessage(c, "it is " + c.status().replace('_', ' ')), false);
            }
            Optional<String> current = locked.secret(ACCESS_TOKEN);
            if (current.isPresent() && !current.get().equals(staleToken)) {
                return new Refresh.Token(new Session(c, current.get())); // another thread or node refreshed meanwhile
            }
            Optional<String> refreshToken = locked.secret(REFRESH_TOKEN);
            if (refreshToken.isEmpty()) {
                return markNeedsReconnect(locked, c, "it has no refresh token");
            }
            OAuthClient.Tokens tokens;
            String instanceUrl;
            try {
                tokens = oauth.refresh(c.loginBase(), c.clientId(), locked.secret(CLIENT_SECRET).orElse(""),
                        refreshToken.get());
                instanceUrl = http.checkBaseUrl(tokens.instanceUrl());
            } catch (TokenRefusedException e) {
                if (e.needsReconnect()) {
                    return markNeedsReconnect(locked, c, "Salesforce no longer accepts its refresh token ("
                            + e.getMessage() + ")");
                }
                if (OAuthClient.transientRefusal(e)) {
                    throw new UncheckedIOException(new IOException("Salesforce refused to refresh the token for now ("
                            + e.getMessage() + ")"));
                }
                return refused(locked, c, "Salesforce refused to refresh the token of connection '" + c.name()
                        + "' (" + e.getMessage() + "). " + whatToFix(e));
            } catch (IllegalArgumentException e) {
                return refused(locked, c, "Salesforce answered the token refresh of connection '" + c.name()
                        + "' with an instance URL that may not be called (" + e.getMessage() + "). An administrator"
                        + " must allow that host in DOONEFLOW_OUTBOUND_ALLOWLIST, or reconnect to the right org.");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> secrets = new HashMap<>();
            secrets.put(ACCESS_TOKEN, tokens.accessToken());
            if (tokens.refreshToken() != null) {
                secrets.put(REFRESH_TOKEN, tokens.refreshToken()); // rotated: stored with the lock, before any use
            }
            Connection refreshed = c.withInstanceUrl(instanceUrl);
            locked.update(refreshed.data(), secrets);
            return new Refresh.Token(new Session(refreshed, tokens.accessToken()));
        });
        io.micrometer.core.instrument.Metrics.counter("dooneflow.salesforce.token.refreshes", "organization",
                stale.organizationId(), "outcome", outcome instanceof Refresh.Token ? "ok"
                        : outcome instanceof Refresh.Reconnect ? "needs_reconnect" : "refused").increment();
        String discovered = outcome instanceof Refresh.Reconnect r && r.discovered() ? r.message()
                : outcome instanceof Refresh.Refused r && r.discovered() ? r.message() : null;
        if (discovered != null) {
            events.record(stale.organizationId(), Event.Level.ERROR, "salesforce", discovered,
                    Map.of("connectionId", stale.id(), "connection", stale.name()));
        }
        return outcome;
    }

    /**
     * A refusal to report. It is remembered in the entry's data until the connection is next written (a successful
     * refresh, a PATCH, a reconnect: {@link Connection#data()} does not carry it), so the organization is told once
     * rather than on every run, and told again if the same refusal comes back after a change.
     */
    private static Refresh refused(ConnectorSettings.LockedEntry locked, Connection c, String message) {
        if (message.equals(locked.entry().data().get(LAST_REFUSAL))) {
            return new Refresh.Refused(message, false);
        }
        Map<String, Object> data = c.data();
        data.put(LAST_REFUSAL, message);
        locked.update(data, Map.of());
        return new Refresh.Refused(message, true);
    }

    /** What the user must change, for the token endpoint's documented error codes (and our signature check). */
    private static String whatToFix(TokenRefusedException e) {
        return switch (e.error()) {
            case "invalid_client", "invalid_client_id", "invalid_client_credentials", "invalid_signature" ->
                    "Check the connection's Client ID and Client Secret against the Connected App's Consumer Key and"
                    + " Consumer Secret: Integrations → Salesforce → Edit.";
            case "inactive_user", "inactive_org" -> "The Salesforce user or org is not active: activate it, or"
                    + " reconnect as an active user: Integrations → Salesforce → Reconnect.";
            default -> "Check the connection and its Connected App in Salesforce; if it persists, reconnect:"
                    + " Integrations → Salesforce → Reconnect.";
        };
    }

    private static Refresh markNeedsReconnect(ConnectorSettings.LockedEntry locked, Connection c, String why) {
        locked.update(c.withStatus(Connection.NEEDS_RECONNECT).data(), Map.of(ACCESS_TOKEN, "", REFRESH_TOKEN, ""));
        return new Refresh.Reconnect(reconnectMessage(c, why), true);
    }

    static String reconnectMessage(Connection c, String why) {
        return "Salesforce connection '" + c.name() + "' needs to be reconnected: " + why
                + ". Go to Integrations → Salesforce → Reconnect.";
    }
}
