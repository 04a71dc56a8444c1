package com.dooneflow.connector.salesforce.internal;

import static com.dooneflow.connector.salesforce.internal.Connection.ACCESS_TOKEN;
import static com.dooneflow.connector.salesforce.internal.Connection.CLIENT_SECRET;
import static com.dooneflow.connector.salesforce.internal.Connection.PKCE_VERIFIER;
import static com.dooneflow.connector.salesforce.internal.Connection.REFRESH_TOKEN;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;

/**
 * An organization's Salesforce connections: their settings (one settings-store entry each, secrets in the vault),
 * with access checks and validation, and the entry point to connecting them ({@link AuthorizationFlow}) and to
 * refreshing their tokens ({@link TokenRefresher}). Holds the one HTTP client every Salesforce call goes through.
 */
@Component(service = SalesforceConnections.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class SalesforceConnections {

    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(20);
    static final String DEFAULT_PUBLIC_URL = "http://localhost:8181";

    /** Settings from {@code etc/com.dooneflow.cfg}; the environment variables win. */
    public @interface Config {
        String publicUrl() default "";
    }

    private final ConnectorSettings store;
    private final OrganizationService organizations;
    private final SalesforceHttp http;
    private final AuthorizationFlow flow;
    private final TokenRefresher refresher;
    private volatile String publicUrl;

    @Activate
    public SalesforceConnections(@Reference ConnectorSettings store, @Reference OrganizationService organizations,
                                 @Reference EventLog events, @Reference OutboundHttp outbound, Config config) {
        this(store, organizations, events, outbound,
                publicUrl(config.publicUrl(), System.getenv("DOONEFLOW_PUBLIC_URL")), Clock.systemUTC(), HTTP_TIMEOUT);
    }

    SalesforceConnections(ConnectorSettings store, OrganizationService organizations, EventLog events,
                          OutboundHttp outbound, String publicUrl, Clock clock, Duration httpTimeout) {
        this.store = store;
        this.organizations = organizations;
        this.publicUrl = publicUrl;
        this.http = new SalesforceHttp(outbound, httpTimeout);
        OAuthClient oauth = new OAuthClient(http);
        this.flow = new AuthorizationFlow(store, oauth, http, clock, () -> this.publicUrl, this::view);
        this.refresher = new TokenRefresher(store, oauth, http, events);
    }

    @Modified
    void modified(Config config) {
        publicUrl = publicUrl(config.publicUrl(), System.getenv("DOONEFLOW_PUBLIC_URL"));
    }

    static String publicUrl(String configured, String env) {
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        return configured == null || configured.isBlank() ? DEFAULT_PUBLIC_URL : configured.trim();
    }

    SalesforceHttp http() {
        return http;
    }

    // ---- settings, for the REST resource ----

    /** One page of the organization's connections, by name; {@code cursor} is a {@code nextCursor} handed out. */
    Page<Map<String, Object>> list(Principal caller, String orgId, int limit, String cursor) {
        organizations.requireRole(caller, orgId, false);
        Page<SettingsEntry> page = ConnectionPages.page(store.list(orgId), limit, cursor);
        return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    Map<String, Object> get(Principal caller, String orgId, String id) {
        organizations.requireRole(caller, orgId, false);
        return view(entry(orgId, id));
    }

    /** Saves a new connection and starts its authorization: the view carries {@code authorizeUrl}. */
    Map<String, Object> create(Principal caller, String orgId, ConnectionBody body) {
        organizations.requireRole(caller, orgId, true);
        List<FieldError> errors = new ArrayList<>();
        String name = name(body.name(), errors);
        String environment = environment(body.environment() == null ? Connection.PRODUCTION : body.environment(), errors);
        String loginUrl = loginUrl(body.loginUrl(), errors);
        String clientId = required("clientId", body.clientId(), errors);
        String clientSecret = required("clientSecret", body.clientSecret(), errors);
        String redirectUri = redirectUri(body.redirectUri(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Connection c = new Connection(null, orgId, name, environment, loginUrl, clientId, redirectUri,
                Connection.NOT_CONNECTED, null, null, null, null, true);
        SettingsEntry saved;
        try {
            // The store's unique key decides, so two racing creates of one name cannot both succeed.
            saved = store.create(orgId, name, c.data(), Map.of(CLIENT_SECRET, clientSecret));
        } catch (ConflictException e) {
            throw nameTaken(name);
        }
        // As the guide promises: saving leads straight on to Salesforce, so the answer carries where to go.
        Map<String, Object> view = view(saved);
        view.put("authorizeUrl", connect(caller, orgId, saved.id()));
        return view;
    }

    Map<String, Object> update(Principal caller, String orgId, String id, ConnectionBody body) {
        organizations.requireRole(caller, orgId, true);
        entry(orgId, id);
        String newName = body.name() == null ? null : body.name().trim();
        try {
            return store.withLock(orgId, id, locked -> change(locked, orgId, body));
        } catch (ConflictException e) {
            throw nameTaken(newName);
        } catch (ValidationException | NotFoundException e) {
            throw e;
        } catch (RuntimeException e) {
            // Two renames racing to one name: the loser may meet the unique key rather than the store's check.
            if (newName != null && store.findByName(orgId, newName).filter(o -> !o.id().equals(id))
                    .isPresent()) {
                throw nameTaken(newName);
            }
            throw e;
        }
    }

    /** PATCH under the entry's lock: validates everything first, so a refused change writes nothing. */
    private Map<String, Object> change(ConnectorSettings.LockedEntry locked, String orgId, ConnectionBody body) {
        Connection c = Connection.of(locked.entry());
        List<FieldError> errors = new ArrayList<>();
        String name = body.name() == null ? c.name() : name(body.name(), errors);
        String environment = body.environment() == null ? c.environment() : environment(body.environment(), errors);
        String loginUrl = body.loginUrl() == null ? c.loginUrl() : loginUrl(body.loginUrl(), errors);
        String clientId = body.clientId() == null ? c.clientId() : required("clientId", body.clientId(), errors);
        String clientSecret = body.clientSecret() == null ? null
                : required("clientSecret", body.clientSecret(), errors);
        String redirectUri = body.redirectUri() == null ? c.redirectUri() : redirectUri(body.redirectUri(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (!name.equals(c.name())) {
            locked.rename(name); // ConflictException if another connection has the name; nothing written then
        }
        Map<String, String> secrets = new HashMap<>();
        if (clientSecret != null) {
            secrets.put(CLIENT_SECRET, clientSecret);
        }
        Connection changed = new Connection(c.id(), orgId, name, environment, loginUrl, clientId, redirectUri,
                c.status(), c.instanceUrl(), c.connectedAt(), c.connectedBy(), c.pending(), true);
        // Tokens belong to one org and Connected App: pointing the connection elsewhere needs a new authorization.
        if (!environment.equals(c.environment()) || !java.util.Objects.equals(loginUrl, c.loginUrl())
                || !clientId.equals(c.clientId())) {
            changed = new Connection(c.id(), orgId, name, environment, loginUrl, clientId, redirectUri,
                    Connection.NOT_CONNECTED, null, null, null, null, true);
            secrets.put(ACCESS_TOKEN, "");
            secrets.put(REFRESH_TOKEN, "");
            secrets.put(PKCE_VERIFIER, "");
        }
        locked.update(changed.data(), secrets);
        return view(locked.entry());
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("name", "a Salesforce connection named '" + name + "' already exists in this"
                + " organization");
    }

    void delete(Principal caller, String orgId, String id) {
        organizations.requireRole(caller, orgId, true);
        if (!store.delete(orgId, id)) {
            throw new NotFoundException("no Salesforce connection " + id + " in this organization");
        }
    }

    // ---- connecting ----

    /** Starts (or restarts: "Reconnect") the authorization; answers the URL to send the browser to. */
    String connect(Principal caller, String orgId, String id) {
        organizations.requireRole(caller, orgId, true);
        entry(orgId, id);
        return flow.start(orgId, id, caller.userId());
    }

    /** The browser's return from Salesforce (public: the single-use state is what authenticates it). */
    AuthorizationFlow.CallbackResult callback(String orgId, String state, String code, String error,
                                              String errorDescription) {
        return flow.complete(orgId, state, code, error, errorDescription);
    }

    // ---- tokens, for the action ----

    /** The connection with this name; empty when there is none in the organization. */
    /** Every connection of the organization, by name: for pick-lists, after the platform checked the caller. */
    List<Connection> all(String orgId) {
        return ConnectionPages.page(store.list(orgId), Integer.MAX_VALUE, null).items().stream()
                .map(Connection::of).toList();
    }

    Optional<Connection> byName(String orgId, String name) {
        return store.findByName(orgId, name).map(Connection::of);
    }

    Optional<String> accessToken(Connection c) {
        return store.get(c.organizationId(), c.id()).flatMap(e -> store.secret(e, ACCESS_TOKEN));
    }

    /** A fresh token for a connection whose token {@code staleToken} Salesforce rejected. */
    TokenRefresher.Refresh refresh(Connection stale, String staleToken) {
        return refresher.refresh(stale, staleToken);
    }

    // ---- helpers ----

    private SettingsEntry entry(String orgId, String id) {
        return store.get(orgId, id)
                .orElseThrow(() -> new NotFoundException("no Salesforce connection " + id + " in this organization"));
    }

    /** What the API shows: never a secret, only whether the client secret is set. */
    Map<String, Object> view(SettingsEntry e) {
        Connection c = Connection.of(e);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("name", c.name());
        v.put("environment", c.environment());
        v.put("loginUrl", c.loginUrl());
        v.put("clientId", c.clientId());
        v.put("clientSecretSet", c.clientSecretSet());
        v.put("redirectUri", c.effectiveRedirectUri(publicUrl));
        v.put("status", c.status());
        v.put("instanceUrl", c.instanceUrl());
        v.put("connectedAt", c.connectedAt());
        v.put("createdAt", e.createdAt() == null ? null : e.createdAt().toString());
        v.put("updatedAt", e.updatedAt() == null ? null : e.updatedAt().toString());
        return v;
    }

    private static String name(String value, List<FieldError> errors) {
        String name = value == null ? "" : value.trim();
        if (name.isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > 100) {
            errors.add(new FieldError("name", "must be at most 100 characters"));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name", "must not contain control characters"));
        }
        return name;
    }

    private static String environment(String value, List<FieldError> errors) {
        String env = value.trim().toLowerCase(Locale.ROOT);
        if (!env.equals(Connection.PRODUCTION) && !env.equals(Connection.SANDBOX)) {
            errors.add(new FieldError("environment", "must be production or sandbox"));
        }
        return env;
    }

    private String loginUrl(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return http.checkBaseUrl(value);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("loginUrl", e.getMessage()));
            return null;
        }
    }

    private static String required(String field, String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return "";
        }
        if (value.length() > 255) {
            errors.add(new FieldError(field, "must be at most 255 characters"));
        }
        return value.trim();
    }

    private static String redirectUri(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OutboundGuard.checkUrl(value).toString();
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("redirectUri", e.getMessage()));
            return null;
        }
    }
}
