package com.dooneflow.rest.internal;

import java.util.Map;

/**
 * Single sign-on through an OpenID Connect provider, configured for the installation: {@code DOONEFLOW_OIDC_ISSUER},
 * {@code DOONEFLOW_OIDC_CLIENT_ID}, {@code DOONEFLOW_OIDC_CLIENT_SECRET} (or {@code oidc.issuer},
 * {@code oidc.clientId}, {@code .oidc.clientSecret} in {@code etc/com.dooneflow.cfg}; the variable wins). Off unless
 * all three are set. {@code publicUrl} is where the provider sends the browser back.
 */
record OidcSettings(String issuer, String clientId, String clientSecret, String publicUrl) {

    static final String DEFAULT_PUBLIC_URL = "http://localhost:8181";

    static OidcSettings of(Map<String, ?> config, Map<String, String> env) {
        String publicUrl = InstallationSettings.publicUrl(config, env);
        String issuer = InstallationSettings.value(config, env, "oidc.issuer", "DOONEFLOW_OIDC_ISSUER");
        return new OidcSettings(issuer == null ? null : issuer.replaceAll("/+$", ""),
                InstallationSettings.value(config, env, "oidc.clientId", "DOONEFLOW_OIDC_CLIENT_ID"),
                InstallationSettings.value(config, env, "oidc.clientSecret", "DOONEFLOW_OIDC_CLIENT_SECRET"),
                publicUrl == null ? DEFAULT_PUBLIC_URL : publicUrl);
    }

    boolean enabled() {
        return issuer != null && clientId != null && clientSecret != null;
    }

    /** Where the provider sends the browser back with the authorization code. */
    String redirectUri() {
        return publicUrl + "/v1/session/oidc/callback";
    }

    @Override
    public String toString() {
        return "OidcSettings[" + issuer + ", " + clientId + ", secret hidden]";
    }
}
