package com.dooneflow.metrics.internal;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where {@code /metrics} is served: on its own port ({@code DOONEFLOW_METRICS_PORT}, on {@code DOONEFLOW_METRICS_HOST},
 * default 127.0.0.1) and/or on the main port for callers that send {@code DOONEFLOW_METRICS_TOKEN} as a bearer token.
 * Neither set: metrics are off, and nothing is recorded. Each variable wins over its key in {@code etc/com.dooneflow.cfg}.
 */
record MetricsSettings(int port, String host, String token) {

    static final int MIN_TOKEN_LENGTH = 16;

    static MetricsSettings read(UnaryOperator<String> env, Map<String, ?> config) {
        String port = value(env, config, "DOONEFLOW_METRICS_PORT", "metrics.port");
        String host = value(env, config, "DOONEFLOW_METRICS_HOST", "metrics.host");
        String token = value(env, config, "DOONEFLOW_METRICS_TOKEN", ".metrics.token");
        int p = 0;
        if (port != null) {
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("DOONEFLOW_METRICS_PORT (metrics.port) must be a port number "
                        + "from 1 to 65535, not '" + port + "'");
            }
        }
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("DOONEFLOW_METRICS_TOKEN (.metrics.token) must have at least "
                    + MIN_TOKEN_LENGTH + " characters (e.g. openssl rand -hex 32)");
        }
        return new MetricsSettings(p, host == null ? "127.0.0.1" : host.trim(), token);
    }

    boolean enabled() {
        return port > 0 || token != null;
    }

    private static String value(UnaryOperator<String> env, Map<String, ?> config, String variable, String key) {
        String v = env.apply(variable);
        if (v == null || v.isBlank()) {
            Object c = config == null ? null : config.get(key);
            v = c == null ? null : c.toString();
        }
        return v == null || v.isBlank() ? null : v;
    }

    @Override
    public String toString() {
        return "MetricsSettings[port=" + port + ", host=" + host + ", token=" + (token == null ? "unset" : "set") + "]";
    }
}
