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
        String port = InstallationSettings.value(config, env, "smtp.port", "DOONEFLOW_SMTP_PORT");
        String startTls = InstallationSettings.value(config, env, "smtp.starttls", "DOONEFLOW_SMTP_STARTTLS");
        int portNumber;
        try {
            portNumber = port == null ? 587 : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DOONEFLOW_SMTP_PORT (smtp.port) is not a whole number: " + port);
        }
        return new MailSettings(InstallationSettings.value(config, env, "smtp.host", "DOONEFLOW_SMTP_HOST"), portNumber,
                InstallationSettings.value(config, env, "smtp.user", "DOONEFLOW_SMTP_USER"),
                InstallationSettings.value(config, env, "smtp.password", "DOONEFLOW_SMTP_PASSWORD"),
                InstallationSettings.value(config, env, "smtp.from", "DOONEFLOW_SMTP_FROM"),
                startTls == null || Boolean.parseBoolean(startTls),
                InstallationSettings.publicUrl(config, env));
    }

    /** Whether mail can be sent: a server, a sender and an address for the links. */
    boolean enabled() {
        return host != null && from != null && publicUrl != null;
    }

    @Override
    public String toString() {
        return "MailSettings[" + host + ":" + port + ", user " + user + ", password hidden, from " + from
                + ", starttls " + startTls + "]";
    }
}
