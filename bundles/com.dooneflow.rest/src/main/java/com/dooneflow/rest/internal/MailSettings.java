package com.dooneflow.rest.internal;

import java.util.Map;

/**
 * The installation's outgoing mail server, for invitations and password reset links: {@code DOONEFLOW_SMTP_HOST},
 * {@code _PORT} (default 587), {@code _USER}, {@code _PASSWORD}, {@code _FROM}, {@code _STARTTLS} (default true) —
 * or {@code smtp.host}, {@code smtp.port}, {@code smtp.user}, {@code .smtp.password}, {@code smtp.from},
 * {@code smtp.starttls} in {@code etc/com.dooneflow.cfg}; the variable wins. Mail is sent when the host, the sender
 * and {@code publicUrl} (where the links in the mails point) are set.
 */
record MailSettings(String host, int port, String user, String password, String from, boolean startTls,
                    String publicUrl) {

    static MailSettings of(Map<String, ?> config, Map<String, String> env) {
        String port = value(config, env, "smtp.port", "DOONEFLOW_SMTP_PORT");
        String startTls = value(config, env, "smtp.starttls", "DOONEFLOW_SMTP_STARTTLS");
        String publicUrl = value(config, env, "publicUrl", "DOONEFLOW_PUBLIC_URL");
        int portNumber;
        try {
            portNumber = port == null ? 587 : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DOONEFLOW_SMTP_PORT (smtp.port) is not a whole number: " + port);
        }
        return new MailSettings(value(config, env, "smtp.host", "DOONEFLOW_SMTP_HOST"), portNumber,
                value(config, env, "smtp.user", "DOONEFLOW_SMTP_USER"),
                value(config, env, "smtp.password", "DOONEFLOW_SMTP_PASSWORD"),
                value(config, env, "smtp.from", "DOONEFLOW_SMTP_FROM"), startTls == null || Boolean.parseBoolean(startTls),
                publicUrl == null ? null : publicUrl.replaceAll("/+$", ""));
    }

    /** Whether mail can be sent: a server, a sender and an address for the links. */
    boolean enabled() {
        return host != null && from != null && publicUrl != null;
    }

    private static String value(Map<String, ?> config, Map<String, String> env, String key, String envName) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Object fromConfig = config == null ? null : config.containsKey("." + key) ? config.get("." + key) : config.get(key);
        return fromConfig == null || fromConfig.toString().isBlank() ? null : fromConfig.toString().trim();
    }

    @Override
    public String toString() {
        return "MailSettings[" + host + ":" + port + ", user " + user + ", password hidden, from " + from
                + ", starttls " + startTls + "]";
    }
}
