package com.dooneflow.connector.salesforce.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.dooneflow.api.SettingsEntry;

/**
 * One Salesforce connection as kept in the settings store: the entry's name is the connection name, the
 * fields below are its data, and the client secret, tokens and the PKCE verifier of a pending authorization
 * are secret fields of the entry (vault).
 */
record Connection(String id, String organizationId, String name, String environment, String loginUrl,
                  String clientId, String redirectUri, String status, String instanceUrl, String connectedAt,
                  String connectedBy, Map<String, Object> pending, boolean clientSecretSet) {

    static final String PRODUCTION = "production";
    static final String SANDBOX = "sandbox";

    static final String NOT_CONNECTED = "not_connected";
    static final String CONNECTED = "connected";
    static final String NEEDS_RECONNECT = "needs_reconnect";

    static final String CLIENT_SECRET = "clientSecret";
    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String PKCE_VERIFIER = "pkceVerifier";

    static Connection of(SettingsEntry e) {
        Map<String, Object> d = e.data();
        @SuppressWarnings("unchecked")
        Map<String, Object> pending = d.get("pending") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        return new Connection(e.id(), e.organizationId(), e.name(), str(d, "environment"), str(d, "loginUrl"),
                str(d, "clientId"), str(d, "redirectUri"), d.get("status") == null ? NOT_CONNECTED : str(d, "status"),
                str(d, "instanceUrl"), str(d, "connectedAt"), str(d, "connectedBy"), pending,
                e.secretsSet().contains(CLIENT_SECRET));
    }

    /** The host the OAuth flow and token refreshes go to. */
    String loginBase() {
        if (loginUrl != null) {
            return loginUrl;
        }
        return SANDBOX.equals(environment) ? "https://test.salesforce.com" : "https://login.salesforce.com";
    }

    /** The redirect URI registered in the Connected App: the explicit one, else the callback under publicUrl. */
    String effectiveRedirectUri(String publicUrl) {
        if (redirectUri != null) {
            return redirectUri;
        }
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        return base + "/v1/organizations/" + organizationId + "/integrations/salesforce/oauth/callback";
    }

    Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("environment", environment);
        d.put("loginUrl", loginUrl);
        d.put("clientId", clientId);
        d.put("redirectUri", redirectUri);
        d.put("status", status);
        d.put("instanceUrl", instanceUrl);
        d.put("connectedAt", connectedAt);
        d.put("connectedBy", connectedBy);
        d.put("pending", pending);
        return d;
    }

    Connection withStatus(String newStatus) {
        return new Connection(id, organizationId, name, environment, loginUrl, clientId, redirectUri, newStatus,
                instanceUrl, connectedAt, connectedBy, pending, clientSecretSet);
    }

    Connection withPending(Map<String, Object> newPending) {
        return new Connection(id, organizationId, name, environment, loginUrl, clientId, redirectUri, status,
                instanceUrl, connectedAt, connectedBy, newPending, clientSecretSet);
    }

    Connection connected(String newInstanceUrl, String at, String by) {
        return new Connection(id, organizationId, name, environment, loginUrl, clientId, redirectUri, CONNECTED,
                newInstanceUrl, at, by, null, clientSecretSet);
    }

    Connection withInstanceUrl(String newInstanceUrl) {
        return new Connection(id, organizationId, name, environment, loginUrl, clientId, redirectUri, status,
                newInstanceUrl, connectedAt, connectedBy, pending, clientSecretSet);
    }

    private static String str(Map<String, Object> d, String key) {
        Object v = d.get(key);
        return v == null ? null : v.toString();
    }
}
