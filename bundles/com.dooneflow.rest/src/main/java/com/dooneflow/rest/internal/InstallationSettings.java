package com.dooneflow.rest.internal;

import java.util.Map;

/**
 * Reads the installation's settings the way every part of the REST bundle does: the environment variable wins over
 * {@code etc/com.dooneflow.cfg}, where a secret may be written with a leading dot ({@code .oidc.clientSecret});
 * blank means unset.
 */
final class InstallationSettings {

    private InstallationSettings() {
    }

    /** The trimmed value of {@code envName}, else of {@code key} (or {@code .key}) in the configuration; null if unset. */
    static String value(Map<String, ?> config, Map<String, String> env, String key, String envName) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Object fromConfig = config == null ? null
                : config.containsKey("." + key) ? config.get("." + key) : config.get(key);
        return fromConfig == null || fromConfig.toString().isBlank() ? null : fromConfig.toString().trim();
    }

    /**
     * Where callers reach the installation ({@code DOONEFLOW_PUBLIC_URL} or {@code publicUrl}), without a trailing
     * slash; null when unset.
     */
    static String publicUrl(Map<String, ?> config, Map<String, String> env) {
        String url = value(config, env, "publicUrl", "DOONEFLOW_PUBLIC_URL");
        return url == null ? null : url.replaceAll("/+$", "");
    }
}
