package com.dooneflow.connector.email.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.oauth.OAuthState;
import com.dooneflow.api.oauth.Pkce;
import com.dooneflow.api.oauth.TokenRefusedException;

/**
 * OAuth 2.0 sign-in of inboxes. {@link #start} sends the browser to the provider's consent with a single-use state
 * (bound to the organization, the inbox and the user, valid {@value #STATE_TTL_MINUTES} minutes, kept as a hash)
 * and a PKCE verifier (in the vault); {@link #complete} honours only that state, spends it whatever the outcome,
 * exchanges the code and keeps the tokens in the vault. {@link #accessToken} hands the pollers a token that is
 * valid for at least {@link #REFRESH_MARGIN}, refreshing it under the inbox's cluster-wide lock so that one node
 * refreshes while the others wait and then use the new token; a refused grant marks the inbox
 * {@code needs_reconnect} with an event, and its poller stops until someone reconnects it.
 */
final class InboxSignIn {

    static final int STATE_TTL_MINUTES = 10;
    static final Duration STATE_TTL = Duration.ofMinutes(STATE_TTL_MINUTES);
    /** A token is refreshed when it has less than this left: a connection set up with it must not fail mid-way. */
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    static final String PENDING = "oauthPending";
    static final String EXPIRES_AT = "accessTokenExpiresAt";
    private static final Logger LOG = LoggerFactory.getLogger(InboxSignIn.class);

    /** No token can be had now; the message says why and what to do. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private final ConnectorSettings settings;
    private final OAuthApps apps;
    private final TokenEndpoint endpoint;
    private final EventLog events;
    private final Clock clock;
    private final Supplier<String> publicUrl;

    InboxSignIn(ConnectorSettings settings, OAuthApps apps, TokenEndpoint endpoint, EventLog events, Clock clock,
                Supplier<String> publicUrl) {
        this.settings = settings;
        this.apps = apps;
        this.endpoint = endpoint;
        this.events = events;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    /** The address the provider sends the browser back to; paste it into the app registration. */
    String redirectUri(String orgId) {
        String base = publicUrl.get();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/organizations/" + orgId
                + "/email-inboxes/oauth/callback";
    }

    /** Starts (or restarts: "Reconnect") consent for an OAuth 2.0 inbox; a previous state dies. */
    String start(Inbox inbox, String userId) {
        if (!inbox.oauth2()) {
            throw ValidationException.of("auth", "is password: only an inbox that signs in with oauth2 connects");
        }
        String orgId = inbox.organizationId();
        OAuthApp app = apps.get(orgId, inbox.auth().provider()).orElseThrow(() -> ValidationException.of(
                "oauthProvider", "has no app yet: register the organization's " + inbox.auth().provider()
                        + " app first (POST /v1/organizations/" + orgId + "/email-oauth-apps)"));
        OAuthState.Issued state = OAuthState.issue(inbox.id(), userId, clock.instant().plus(STATE_TTL));
        String verifier = Pkce.newVerifier();
        settings.withLock(orgId, inbox.id(), locked -> {
            Map<String, Object> data = new HashMap<>(locked.entry().data());
            data.put(PENDING, state.pending());
            locked.update(data, Map.of(Inbox.PKCE_VERIFIER, verifier));
            return null;
        });
        return TokenEndpoint.authorizeUrl(app, redirectUri(orgId), state.value(), verifier, inbox.username());
    }

    /** How the callback went: {@code status} 200 when connected, else what the browser should be told. */
    record CallbackResult(int status, String message, Inbox inbox) {
        static CallbackResult rejected(int status, String message) {
            return new CallbackResult(status, message, null);
        }
    }

    /**
     * The browser's return from the provider. Only a state this organization's inbox issued, not yet used and not
     * expired, is honoured; the state is spent by its first use, whatever the outcome.
     */
    CallbackResult complete(String orgId, String state, String code, String error, String errorDescription) {
        if (state == null || state.isBlank()) {
            return CallbackResult.rejected(400, "The request has no state parameter, so it cannot be matched to an"
                    + " inbox. Start connecting again from the Email Inboxes page.");
        }
        Optional<SettingsEntry> entry = OAuthState.subjectId(state).flatMap(id -> settings.get(orgId, id))
                .filter(e -> !OAuthApp.isApp(e));
        if (entry.isEmpty()) {
            return CallbackResult.rejected(400, "This authorization response does not belong to an inbox of this"
                    + " organization. Start connecting again from the Email Inboxes page.");
        }
        return settings.withLock(orgId, entry.get().id(), locked -> {
            Map<String, Object> data = new HashMap<>(locked.entry().data());
            Inbox inbox = Inbox.from(locked.entry());
            OAuthState.Check check = OAuthState.check(state, data.get(PENDING), clock.instant());
            if (check == OAuthState.Check.UNKNOWN) {
                return CallbackResult.rejected(400, "This authorization response was already used or was replaced"
                        + " by a newer one. Start connecting again from the Email Inboxes page.");
            }
            // From here on the state is spent, whatever happens next.
            data.put(PENDING, null);
            Map<String, String> forgetVerifier = Map.of(Inbox.PKCE_VERIFIER, "");
            String verifier = locked.secret(Inbox.PKCE_VERIFIER).orElse("");
            if (check == OAuthState.Check.EXPIRED) {
                locked.update(data, forgetVerifier);
                return CallbackResult.rejected(400, "This authorization took longer than " + STATE_TTL_MINUTES
                        + " minutes and has expired. Connect again.");
            }
            if (error != null && !error.isBlank()) {
                locked.update(data, forgetVerifier);
                return CallbackResult.rejected(400, "The provider did not authorize the inbox (" + error
                        + (errorDescription == null || errorDescription.isBlank() ? "" : ": " + errorDescription)
                        + "). Nothing was changed; connect again to retry.");
            }
            if (code == null || code.isBlank() || !inbox.oauth2()) {
                locked.update(data, forgetVerifier);
                return CallbackResult.rejected(400, "The provider sent no authorization code. Connect again.");
            }
            Optional<OAuthApp> app = apps.get(orgId, inbox.auth().provider());
            if (app.isEmpty()) {
                locked.update(data, forgetVerifier);
                return CallbackResult.rejected(400, "The organization's " + inbox.auth().provider()
                        + " app was deleted meanwhile. Register it again, then connect.");
            }
            TokenEndpoint.Tokens tokens;
            try {
                tokens = endpoint.exchange(app.get(), apps.clientSecret(orgId, app.get().provider()).orElse(""),
                        redirectUri(orgId), code, verifier);
            } catch (TokenRefusedException e) {
                locked.update(data, forgetVerifier);
                return CallbackResult.rejected(400, "The provider refused the authorization (" + e.getMessage()
                        + "). Check the app's client id, client secret and redirect URL, then connect again.");
            } catch (IOException e) {
                locked.update(data, forgetVerifier);
                LOG.info("Token endpoint for inbox {} unreachable: {}", inbox.id(), e.toString());
                return CallbackResult.rejected(502, "The provider could not be reached to finish the connection ("
                        + e.getMessage() + "). Connect again in a moment.");
            }
            if (tokens.refreshToken() == null) {
                locked.update(data, forgetVerifier);
                return CallbackResult.rejected(400, "The provider issued no refresh token, so the inbox would stop"
                        + " within an hour. Make sure the app asks for offline access (the offline_access scope for"
                        + " Microsoft), then connect again.");
            }
            data.put("authStatus", Inbox.CONNECTED);
            data.put(EXPIRES_AT, clock.instant().plusSeconds(tokens.expiresInSeconds()).toString());
            data.put("configRevision", inbox.configRevision() + 1); // the pollers start over with the new sign-in
            data.put("lastError", null);
            data.put("lastErrorSource", null);
            Map<String, String> secrets = new HashMap<>();
            secrets.put(Inbox.ACCESS_TOKEN, tokens.accessToken());
            secrets.put(Inbox.REFRESH_TOKEN, tokens.refreshToken());
            secrets.put(Inbox.PKCE_VERIFIER, "");
            locked.update(data, secrets);
            return new CallbackResult(200, "Inbox " + inbox.emailAddress() + " is connected.",
                    Inbox.from(locked.entry()));
        });
    }

    /** What a refresh under the lock came to: a token, or why there is none ({@code event}: tell the org). */
    private record Outcome(String token, String problem, boolean event) {
    }

    /**
     * An access token valid for at least {@link #REFRESH_MARGIN}, refreshed if needed (once across threads and
     * nodes); {@link Unavailable} when the inbox is not connected, its grant was refused, or the provider cannot be
     * reached.
     */
    String accessToken(Inbox inbox) {
        SettingsEntry entry = settings.get(inbox.organizationId(), inbox.id())
                .orElseThrow(() -> new Unavailable("The inbox was deleted."));
        Optional<String> token = fresh(entry, settings.secret(entry, Inbox.ACCESS_TOKEN));
        if (token.isPresent()) {
            return token.get();
        }
        Outcome outcome = settings.withLock(inbox.organizationId(), inbox.id(), locked -> {
            Optional<String> now = fresh(locked.entry(), locked.secret(Inbox.ACCESS_TOKEN));
            if (now.isPresent()) {
                return new Outcome(now.get(), null, false); // another thread or node refreshed meanwhile
            }
            Inbox current = Inbox.from(locked.entry());
            if (!Inbox.CONNECTED.equals(current.auth().status())) {
                return new Outcome(null, notConnected(current), false);
            }
            Optional<String> refreshToken = locked.secret(Inbox.REFRESH_TOKEN);
            Optional<OAuthApp> app = apps.get(current.organizationId(), current.auth().provider());
            if (refreshToken.isEmpty() || app.isEmpty()) {
                return needsReconnect(locked, current, refreshToken.isEmpty() ? "it has no refresh token"
                        : "the organization's " + current.auth().provider() + " app was deleted");
            }
            TokenEndpoint.Tokens tokens;
            try {
                tokens = endpoint.refresh(app.get(), apps.clientSecret(current.organizationId(),
                        app.get().provider()).orElse(""), refreshToken.get());
            } catch (TokenRefusedException e) {
                if (e.needsReconnect()) {
                    return needsReconnect(locked, current, "the provider no longer accepts its grant ("
                            + e.getMessage() + ")");
                }
                return new Outcome(null, "Signing in to " + current.emailAddress() + " failed: the provider refused"
                        + " to refresh the access token (" + e.getMessage() + "). Check the organization's "
                        + current.auth().provider() + " app (client id and secret).", false);
            } catch (IOException e) {
                return new Outcome(null, "Signing in to " + current.emailAddress() + " failed: the provider's token"
                        + " endpoint could not be reached (" + e.getMessage() + "); trying again at the next poll.",
                        false);
            }
            Map<String, Object> data = new HashMap<>(locked.entry().data());
            data.put(EXPIRES_AT, clock.instant().plusSeconds(tokens.expiresInSeconds()).toString());
            Map<String, String> secrets = new HashMap<>();
            secrets.put(Inbox.ACCESS_TOKEN, tokens.accessToken());
            if (tokens.refreshToken() != null) {
                secrets.put(Inbox.REFRESH_TOKEN, tokens.refreshToken()); // rotated: stored with the lock, before use
            }
            locked.update(data, secrets);
            LOG.debug("Refreshed the access token of inbox {}", current.id());
            return new Outcome(tokens.accessToken(), null, false);
        });
        if (outcome.event()) {
            events.record(inbox.organizationId(), Event.Level.ERROR, EmailIntake.source(inbox), outcome.problem(),
                    Map.of("inboxId", inbox.id()));
            LOG.warn("Inbox {}: {}", inbox.id(), outcome.problem());
        }
        if (outcome.token() == null) {
            throw new Unavailable(outcome.problem());
        }
        return outcome.token();
    }

    private Optional<String> fresh(SettingsEntry entry, Optional<String> token) {
        Object at = entry.data().get(EXPIRES_AT);
        if (token.isEmpty() || token.get().isEmpty() || at == null
                || !Inbox.CONNECTED.equals(entry.data().get("authStatus"))) {
            return Optional.empty();
        }
        try {
            return Instant.parse(at.toString()).isAfter(clock.instant().plus(REFRESH_MARGIN)) ? token
                    : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The grant is gone: the inbox shows needs_reconnect, its poller stops (new revision), the tokens go. */
    private Outcome needsReconnect(ConnectorSettings.LockedEntry locked, Inbox inbox, String why) {
        String message = "Inbox " + inbox.emailAddress() + " needs to be reconnected: " + why
                + ". Open Email Inboxes and choose Connect to sign in again.";
        Map<String, Object> data = new HashMap<>(locked.entry().data());
        data.put("authStatus", Inbox.NEEDS_RECONNECT);
        data.put("configRevision", inbox.configRevision() + 1);
        data.put("lastError", message);
        data.put("lastErrorSource", null);
        data.put("mode", Inbox.MODE_POLL);
        locked.update(data, Map.of(Inbox.ACCESS_TOKEN, "", Inbox.REFRESH_TOKEN, ""));
        return new Outcome(null, message, true);
    }

    static String notConnected(Inbox inbox) {
        return Inbox.NEEDS_RECONNECT.equals(inbox.auth().status())
                ? "Inbox " + inbox.emailAddress() + " needs to be reconnected: choose Connect on Email Inboxes."
                : "Inbox " + inbox.emailAddress() + " is not connected yet: choose Connect on Email Inboxes to sign"
                        + " in with " + inbox.auth().provider() + ".";
    }
}
