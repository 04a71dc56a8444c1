package com.dooneflow.connector.email.internal;

import static com.dooneflow.connector.email.internal.BodyFields.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.outbound.OutboundGuard;

/**
 * The organization's OAuth 2.0 apps for mailboxes, at most one per provider, in the email connector's settings
 * (client secret in the vault). Bodies are checked field by field, every problem named at once.
 */
final class OAuthApps {

    static final Set<String> WRITABLE = Set.of("provider", "clientId", "clientSecret", "tenant", "authorizeUrl",
            "tokenUrl", "scopes");
    private static final Set<String> READ_ONLY = Set.of("id", "clientSecretSet", "redirectUri");

    private final ConnectorSettings settings;

    OAuthApps(ConnectorSettings settings) {
        this.settings = settings;
    }

    List<OAuthApp> list(String orgId) {
        return settings.list(orgId).stream().filter(OAuthApp::isApp).map(OAuthApp::from).toList();
    }

    Optional<OAuthApp> get(String orgId, String provider) {
        if (provider == null || !OAuthApp.PROVIDERS.contains(provider)) {
            return Optional.empty();
        }
        return settings.findByName(orgId, OAuthApp.entryName(provider)).map(OAuthApp::from);
    }

    OAuthApp require(String orgId, String provider) {
        return get(orgId, provider).orElseThrow(() -> new NotFoundException("no OAuth app for provider " + provider));
    }

    Optional<String> clientSecret(String orgId, String provider) {
        return settings.findByName(orgId, OAuthApp.entryName(provider))
                .flatMap(e -> settings.secret(e, OAuthApp.CLIENT_SECRET));
    }

    OAuthApp create(String orgId, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        check(body, errors);
        Object provider = body.get("provider");
        if (!(provider instanceof String p) || !OAuthApp.PROVIDERS.contains(p)) {
            throw ValidationException.of("provider", "must be one of microsoft, google, generic");
        }
        if (get(orgId, p).isPresent()) {
            throw new ConflictException("provider", "the organization already has a " + p
                    + " app; change it with PATCH .../email-oauth-apps/" + p);
        }
        String secret = secret(body.get("clientSecret"), true, errors);
        OAuthApp app = apply(new OAuthApp(p, null, null, null, null, null, false), body, errors);
        requireComplete(app, errors);
        settings.create(orgId, OAuthApp.entryName(p), app.data(), Map.of(OAuthApp.CLIENT_SECRET, secret));
        return require(orgId, p);
    }

    OAuthApp update(String orgId, String provider, Map<String, Object> body) {
        OAuthApp current = require(orgId, provider);
        List<FieldError> errors = new ArrayList<>();
        check(body, errors);
        if (body.containsKey("provider") && !provider.equals(body.get("provider"))) {
            errors.add(new FieldError("provider", "cannot change; create an app for the other provider instead"));
        }
        String secret = body.containsKey("clientSecret") ? secret(body.get("clientSecret"), true, errors) : null;
        OAuthApp next = apply(current, body, errors);
        requireComplete(next, errors);
        String id = settings.findByName(orgId, OAuthApp.entryName(provider)).orElseThrow().id();
        Map<String, String> secrets = new HashMap<>();
        if (secret != null) {
            secrets.put(OAuthApp.CLIENT_SECRET, secret);
        }
        settings.withLock(orgId, id, locked -> {
            locked.update(next.data(), secrets);
            return null;
        });
        return require(orgId, provider);
    }

    /** Refused while inboxes sign in with the app: they would stop at their next token refresh. */
    boolean delete(String orgId, String provider, List<Inbox> inboxes) {
        List<String> users = inboxes.stream().filter(i -> provider.equals(i.auth().provider()))
                .map(Inbox::emailAddress).toList();
        if (!users.isEmpty()) {
            throw new ConflictException("provider", "inboxes sign in with this app: " + String.join(", ", users)
                    + "; delete them or switch them to another sign-in first");
        }
        return settings.findByName(orgId, OAuthApp.entryName(provider))
                .map(e -> settings.delete(orgId, e.id())).orElse(false);
    }

    private static OAuthApp apply(OAuthApp a, Map<String, Object> body, List<FieldError> errors) {
        String clientId = body.containsKey("clientId") ? text("clientId", body.get("clientId"), 512, errors)
                : a.clientId();
        String tenant = body.containsKey("tenant") ? tenant(a.provider(), body.get("tenant"), errors) : a.tenant();
        String authorize = body.containsKey("authorizeUrl") ? url("authorizeUrl", body.get("authorizeUrl"), errors)
                : a.authorizeUrl();
        String token = body.containsKey("tokenUrl") ? url("tokenUrl", body.get("tokenUrl"), errors) : a.tokenUrl();
        String scopes = body.containsKey("scopes") ? text("scopes", body.get("scopes"), 1024, errors) : a.scopes();
        return new OAuthApp(a.provider(), clientId, tenant, authorize, token, scopes, a.clientSecretSet());
    }

    private static void requireComplete(OAuthApp app, List<FieldError> errors) {
        if (app.clientId() == null && errors.stream().noneMatch(e -> e.field().equals("clientId"))) {
            errors.add(new FieldError("clientId", "is required: the app's client (application) id"));
        }
        if (OAuthApp.GENERIC.equals(app.provider())) {
            for (String[] f : new String[][] {{"authorizeUrl", app.authorizeUrl()}, {"tokenUrl", app.tokenUrl()},
                    {"scopes", app.scopes()}}) {
                if (f[1] == null && errors.stream().noneMatch(e -> e.field().equals(f[0]))) {
                    errors.add(new FieldError(f[0], "is required for a generic provider"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private static void check(Map<String, Object> body, List<FieldError> errors) {
        BodyFields.check(body, READ_ONLY, WRITABLE, "is not a field of an OAuth app (fields: provider, clientId, "
                + "clientSecret, tenant, authorizeUrl, tokenUrl, scopes)", errors);
    }

    private static String tenant(String provider, Object value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (!OAuthApp.MICROSOFT.equals(provider)) {
            errors.add(new FieldError("tenant", "is only for the microsoft provider"));
            return null;
        }
        String t = text("tenant", value, 64, errors);
        if (t != null && !t.matches("[A-Za-z0-9.-]+")) {
            errors.add(new FieldError("tenant", "must be a tenant id (a GUID), a domain such as contoso.com, "
                    + "organizations or common"));
            return null;
        }
        return t;
    }

    private static String url(String field, Object value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        String s = text(field, value, 2048, errors);
        if (s == null) {
            return null;
        }
        try {
            OutboundGuard.checkUrl(s);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be an absolute https URL (" + e.getMessage() + ")"));
            return null;
        }
        return s;
    }

    private static String secret(Object value, boolean required, List<FieldError> errors) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            if (required) {
                errors.add(new FieldError("clientSecret", "is required: the app's client secret"));
            }
            return null;
        }
        if (!(value instanceof String s) || s.length() > 1024) {
            errors.add(new FieldError("clientSecret", "must be a string of at most 1024 characters"));
            return null;
        }
        return s;
    }
}
