package com.dooneflow.persistence.internal;

import java.util.Map;

/**
 * DooneFlow's settings: an environment variable wins over the same key in {@code etc/com.dooneflow.cfg}.
 * Secrets belong under a key with a leading dot ({@code .db.password}, {@code .masterKey}): Declarative
 * Services keeps such properties private, so they never show as properties of a registered service.
 */
public final class Settings {

    private final Map<String, ?> config;
    private final Map<String, String> env;

    public Settings(Map<String, ?> config, Map<String, String> env) {
        this.config = config == null ? Map.of() : config;
        this.env = env;
    }

    public static Settings of(Map<String, ?> config) {
        return new Settings(config, System.getenv());
    }

    /** The value of {@code envName}, else of {@code key}, else null; blank counts as unset. */
    public String get(String key, String envName) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Object fromConfig = config.containsKey("." + key) ? config.get("." + key) : config.get(key);
        return fromConfig == null || fromConfig.toString().isBlank() ? null : fromConfig.toString().trim();
    }

    /**
     * Where {@link #get} finds the value, to tell a person: the environment variable's name, the key in
     * {@code etc/com.dooneflow.cfg}, or null when it is unset.
     */
    public String origin(String key, String envName) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return "the environment variable " + envName;
        }
        Object fromConfig = config.containsKey("." + key) ? config.get("." + key) : config.get(key);
        return fromConfig == null || fromConfig.toString().isBlank() ? null
                : "'" + (config.containsKey("." + key) ? "." + key : key) + "' in etc/com.dooneflow.cfg";
    }

    /** A whole number of at least 1, or {@code defaultValue} when unset; anything else is a clear error. */
    public int positiveInt(String key, String envName, int defaultValue) {
        String value = get(key, envName);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " (" + envName + ") must be a whole number of at least 1, not '"
                + value + "'");
    }
}
