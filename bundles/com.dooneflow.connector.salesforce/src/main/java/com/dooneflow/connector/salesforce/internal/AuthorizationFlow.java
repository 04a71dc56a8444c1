package com.dooneflow.connector.salesforce.internal;

import static com.dooneflow.connector.salesforce.internal.Connection.ACCESS_TOKEN;
import static com.dooneflow.connector.salesforce.internal.Connection.CLIENT_SECRET;
import static com.dooneflow.connector.salesforce.internal.Connection.PKCE_VERIFIER;
import static com.dooneflow.connector.salesforce.internal.Connection.REFRESH_TOKEN;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.oauth.OAuthState;
import com.dooneflow.api.oauth.Pkce;
import com.dooneflow.api.oauth.TokenRefusedException;

/**
 * Connecting a connection: Salesforce's OAuth 2.0 web server flow with PKCE (S256). {@link #start} keeps a hash of
 * a single-use state (bound to the organization, the connection and the user, valid {@value #STATE_TTL_MINUTES}
 * minutes) and the PKCE verifier with the entry; {@link #complete} honours only that state, spends it whatever the
 * outcome, exchanges the code and stores the tokens in the vault.
 */
final class AuthorizationFlow {

    static final int STATE_TTL_MINUTES = 10;
    static final Duration STATE_TTL = Duration.ofMinutes(STATE_TTL_MINUTES);
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationFlow.class);

    private final ConnectorSettings store;
    private final OAuthClient oauth;
    private final SalesforceHttp http;
    private final Clock clock;
    private final Supplier<String> publicUrl;
    private final Function<SettingsEntry, Map<String, Object>> view;

    AuthorizationFlow(ConnectorSettings store, OAuthClient oauth, SalesforceHttp http, Clock clock,
                      Supplier<String> publicUrl, Function<SettingsEntry, Map<String, Object>> view) {
        this.store = store;
        this.oauth = oauth;
        this.http = http;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.view = view;
    }

    /** Starts (or restarts) the authorization: a fresh single-use state and PKCE verifier; the previous ones die. */
    String start(String orgId, String id, String userId) {
        OAuthState.Issued state = OAuthState.issue(id, userId, clock.instant().plus(STATE_TTL));
        String verifier = Pkce.newVerifier();
        return store.withLock(orgId, id, locked -> {
            Connection c = Connection.of(locked.entry());
            locked.update(c.withPending(state.pending()).data(), Map.of(PKCE_VERIFIER, verifier));
            return OAuthClient.authorizeUrl(c.loginBase(), c.clientId(), c.effectiveRedirectUri(publicUrl.get()),
                    state.value(), verifier);
        });
    }

    /** How the callback went: {@code status} 200 when connected, else what the browser should be told. */
    record CallbackResult(int status, String message, Map<String, Object> connection) {
        static CallbackResult rejected(int status, String message) {
            return new CallbackResult(status, message, null);
        }
    }

    /**
     * The browser's return from Salesforce. Only a state this organization's connection issued, not yet used
     * and not expired, is honoured; the state is spent by its first use, whatever the outcome.
     */
    CallbackResult complete(String orgId, String state, String code, String error, String errorDescription) {
        if (state == null || state.isBlank()) {
            return CallbackResult.rejected(400, "The request has no state parameter, so it cannot be matched to a"
                    + " connection. Start connecting again from the Integrations page.");
        }
        Optional<SettingsEntry> entry = OAuthState.subjectId(state).flatMap(id -> store.get(orgId, id));
        if (entry.isEmpty()) {
            return CallbackResult.rejected(400, "This authorization response does not belong to a Salesforce"
                    + " connection of this organization. Start connecting again from the Integrations page.");
        }
        return store.withLock(orgId, entry.get().id(), locked -> {
            Connection c = Connection.of(locked.entry());
            Map<String, Object> pending = c.pending();
            OAuthState.Check check = OAuthState.check(state, pending, clock.instant());
            if (check == OAuthState.Check.UNKNOWN) {
                return CallbackResult.rejected(400, "This authorization response was already used or was replaced"
                        + " by a newer one. Start connecting again from the Integrations page.");
            }
            // From here on the state is spent, whatever happens next.
            Map<String, Object> spent = c.withPending(null).data();
            Map<String, String> forgetVerifier = Map.of(PKCE_VERIFIER, "");
            if (check == OAuthState.Check.EXPIRED) {
                locked.update(spent, forgetVerifier);
                return CallbackResult.rejected(400, "This authorization took longer than "
                        + STATE_TTL.toMinutes() + " minutes and has expired. Start connecting again.");
            }
            if (error != null && !error.isBlank()) {
                locked.update(spent, forgetVerifier);
                return CallbackResult.rejected(400, "Salesforce did not authorize the connection (" + error
                        + (errorDescription == null || errorDescription.isBlank() ? "" : ": " + errorDescription)
                        + "). Nothing was changed; connect again to retry.");
            }
            if (code == null || code.isBlank()) {
                locked.update(spent, forgetVerifier);
                return CallbackResult.rejected(400, "Salesforce sent no authorization code. Connect again.");
            }
            String verifier = locked.secret(PKCE_VERIFIER).orElse("");
            String clientSecret = locked.secret(CLIENT_SECRET).orElse("");
            OAuthClient.Tokens tokens;
            String instanceUrl;
            try {
                tokens = oauth.exchange(c.loginBase(), c.clientId(), clientSecret, c.effectiveRedirectUri(publicUrl.get()),
                        code, verifier);
                instanceUrl = http.checkBaseUrl(tokens.instanceUrl());
            } catch (TokenRefusedException e) {
                locked.update(spent, forgetVerifier);
                return CallbackResult.rejected(400, "Salesforce refused the authorization (" + e.getMessage()
                        + "). Check the Client ID, Client Secret and callback URL of the Connected App, then connect"
                        + " again.");
            } catch (IllegalArgumentException e) {
                locked.update(spent, forgetVerifier);
                return CallbackResult.rejected(400, "Salesforce answered with an instance URL that may not be"
                        + " called: " + e.getMessage());
            } catch (IOException e) {
                locked.update(spent, forgetVerifier);
                LOG.info("Salesforce token endpoint of connection {} unreachable: {}", c.id(), e.toString());
                return CallbackResult.rejected(502, "Salesforce could not be reached to finish the connection ("
                        + e.getMessage() + "). Connect again in a moment.");
            }
            if (tokens.refreshToken() == null) {
                locked.update(spent, forgetVerifier);
                return CallbackResult.rejected(400, "Salesforce issued no refresh token, so the connection would stop"
                        + " working within hours. Add the scope 'Perform requests at any time (refresh_token,"
                        + " offline_access)' to the Connected App, then connect again.");
            }
            Connection connected = c.connected(instanceUrl, clock.instant().toString(), OAuthState.startedBy(pending));
            Map<String, String> secrets = new HashMap<>();
            secrets.put(ACCESS_TOKEN, tokens.accessToken());
            secrets.put(REFRESH_TOKEN, tokens.refreshToken());
            secrets.put(PKCE_VERIFIER, "");
            locked.update(connected.data(), secrets);
            return new CallbackResult(200, "Salesforce connection '" + c.name() + "' is connected.",
                    view.apply(locked.entry()));
        });
    }
}
