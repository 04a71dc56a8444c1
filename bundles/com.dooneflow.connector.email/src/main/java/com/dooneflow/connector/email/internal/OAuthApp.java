package com.dooneflow.connector.email.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.SettingsEntry;

/**
 * The OAuth 2.0 app an organization registered once with a mail provider, so its inboxes can sign in with
 * {@code XOAUTH2}: which provider, the app's client id (the secret lives in the vault) and the provider's
 * endpoints and scopes. Presets fill the endpoints of Microsoft 365 and Google; a {@code generic} provider names
 * its own. Kept in the email connector's settings as the entry named {@code oauth-app:<provider>}.
 */
record OAuthApp(String provider, String clientId, String tenant, String authorizeUrl, String tokenUrl, String scopes,
                boolean clientSecretSet) {

    static final String ENTRY_PREFIX = "oauth-app:";
    static final String CLIENT_SECRET = "clientSecret";
    static final String MICROSOFT = "microsoft";
    static final String GOOGLE = "google";
    static final String GENERIC = "generic";
    static final List<String> PROVIDERS = List.of(MICROSOFT, GOOGLE, GENERIC);

    /** A provider's defaults: endpoints, scopes and its IMAP server. */
    record Preset(String authorizeUrl, String tokenUrl, String scopes, String imapHost, String extraAuthorizeParams) {
    }

    static final String MICROSOFT_DEFAULT_TENANT = "organizations";

    /** Null for the generic provider, which has no defaults. */
    static Preset preset(String provider, String tenant) {
        return switch (provider) {
            case MICROSOFT -> {
                String t = tenant == null ? MICROSOFT_DEFAULT_TENANT : tenant;
                yield new Preset("https://login.microsoftonline.com/" + t + "/oauth2/v2.0/authorize",
                        "https://login.microsoftonline.com/" + t + "/oauth2/v2.0/token",
                        "https://outlook.office.com/IMAP.AccessAsUser.All offline_access", "outlook.office365.com", "");
            }
            // Google issues a refresh token only when asked for offline access, and again only with consent.
            case GOOGLE -> new Preset("https://accounts.google.com/o/oauth2/v2/auth", "https://oauth2.googleapis.com/token",
                    "https://mail.google.com/", "imap.gmail.com", "&access_type=offline&prompt=consent");
            default -> null;
        };
    }

    static boolean isApp(SettingsEntry e) {
        return e.name() != null && e.name().startsWith(ENTRY_PREFIX);
    }

    static String entryName(String provider) {
        return ENTRY_PREFIX + provider;
    }

    static OAuthApp from(SettingsEntry e) {
        Map<String, Object> d = e.data();
        return new OAuthApp((String) d.get("provider"), (String) d.get("clientId"), (String) d.get("tenant"),
                (String) d.get("authorizeUrl"), (String) d.get("tokenUrl"), (String) d.get("scopes"),
                e.secretsSet().contains(CLIENT_SECRET));
    }

    /** The authorize URL to use: the app's own, else the preset's. */
    String effectiveAuthorizeUrl() {
        return authorizeUrl != null ? authorizeUrl : preset(provider, tenant).authorizeUrl();
    }

    String effectiveTokenUrl() {
        return tokenUrl != null ? tokenUrl : preset(provider, tenant).tokenUrl();
    }

    String effectiveScopes() {
        return scopes != null ? scopes : preset(provider, tenant).scopes();
    }

    String extraAuthorizeParams() {
        Preset p = preset(provider, tenant);
        return p == null ? "" : p.extraAuthorizeParams();
    }

    Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", "oauth-app");
        d.put("provider", provider);
        d.put("clientId", clientId);
        d.put("tenant", tenant);
        d.put("authorizeUrl", authorizeUrl);
        d.put("tokenUrl", tokenUrl);
        d.put("scopes", scopes);
        return d;
    }

    /** As the REST API shows it: the secret only as {@code clientSecretSet}, the endpoints as they will be used. */
    Map<String, Object> view(String redirectUri) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", provider);
        v.put("provider", provider);
        v.put("clientId", clientId);
        v.put("clientSecretSet", clientSecretSet);
        v.put("tenant", MICROSOFT.equals(provider) && tenant == null ? MICROSOFT_DEFAULT_TENANT : tenant);
        v.put("authorizeUrl", effectiveAuthorizeUrl());
        v.put("tokenUrl", effectiveTokenUrl());
        v.put("scopes", effectiveScopes());
        v.put("redirectUri", redirectUri);
        return v;
    }
}
