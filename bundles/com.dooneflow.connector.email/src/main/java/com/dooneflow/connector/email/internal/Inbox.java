package com.dooneflow.connector.email.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.dooneflow.api.SettingsEntry;

/**
 * One monitored IMAP inbox of an organization, as kept in the email connector's settings. The
 * password is a vault secret and never part of this record; {@code configRevision} grows with every change of the
 * connection settings, so pollers on every node can tell a changed inbox from one whose status was updated.
 * {@code idle} is the setting (use IMAP IDLE when the server offers it); {@code mode} says what the node polling the
 * inbox actually does ({@value #MODE_IDLE} or {@value #MODE_POLL}).
 */
public record Inbox(String id, String organizationId, String emailAddress, String host, int port, Security security,
                    String username, int pollIntervalSeconds, boolean idle, boolean active, long configRevision,
                    Instant lastPolledAt, String lastError, long messagesProcessed, String mode, Instant lastEventAt,
                    boolean passwordSet, Instant createdAt, Instant updatedAt, Auth auth) {

    public static final String PASSWORD = "password";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String REFRESH_TOKEN = "refreshToken";
    public static final String PKCE_VERIFIER = "pkceVerifier";
    public static final String AUTH_PASSWORD = "password";
    public static final String AUTH_OAUTH2 = "oauth2";
    public static final String NOT_CONNECTED = "not_connected";
    public static final String CONNECTED = "connected";
    public static final String NEEDS_RECONNECT = "needs_reconnect";

    /**
     * How the inbox signs in: {@value #AUTH_PASSWORD}, or {@value #AUTH_OAUTH2} with the organization's app for
     * {@code provider} and a {@code status} of {@value #NOT_CONNECTED}, {@value #CONNECTED} or
     * {@value #NEEDS_RECONNECT}.
     */
    public record Auth(String method, String provider, String status) {
        static final Auth PASSWORD = new Auth(AUTH_PASSWORD, null, null);

        boolean oauth2() {
            return AUTH_OAUTH2.equals(method);
        }
    }

    boolean oauth2() {
        return auth.oauth2();
    }
    public static final String MODE_IDLE = "idle";
    public static final String MODE_POLL = "poll";

    /** How the connection is protected: TLS from the first byte, upgraded with STARTTLS, or plain text. */
    public enum Security {
        SSL, STARTTLS, NONE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public int defaultPort() {
            return this == SSL ? 993 : 143;
        }

        /** Null for anything but ssl, starttls or none. */
        public static Security parse(Object value) {
            for (Security s : values()) {
                if (s.id().equals(value)) {
                    return s;
                }
            }
            return null;
        }
    }

    static Inbox from(SettingsEntry e) {
        Map<String, Object> d = e.data();
        return new Inbox(e.id(), e.organizationId(), (String) d.get("emailAddress"), (String) d.get("host"),
                number(d.get("port"), 993), Security.parse(d.get("security")), (String) d.get("username"),
                number(d.get("pollIntervalSeconds"), InboxRequest.DEFAULT_POLL_SECONDS),
                !Boolean.FALSE.equals(d.get("idle")), !Boolean.FALSE.equals(d.get("active")),
                number(d.get("configRevision"), 0), instant(d.get("lastPolledAt")), (String) d.get("lastError"),
                number(d.get("messagesProcessed"), 0), MODE_IDLE.equals(d.get("mode")) ? MODE_IDLE : MODE_POLL,
                instant(d.get("lastEventAt")), e.secretsSet().contains(PASSWORD), e.createdAt(), e.updatedAt(),
                AUTH_OAUTH2.equals(d.get("auth")) ? new Auth(AUTH_OAUTH2, (String) d.get("oauthProvider"),
                        d.get("authStatus") == null ? NOT_CONNECTED : (String) d.get("authStatus")) : Auth.PASSWORD);
    }

    /** The stored data fields: connection settings plus the poller's status. */
    Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("emailAddress", emailAddress);
        d.put("host", host);
        d.put("port", port);
        d.put("security", security.id());
        d.put("username", username);
        d.put("pollIntervalSeconds", pollIntervalSeconds);
        d.put("idle", idle);
        d.put("active", active);
        d.put("configRevision", configRevision);
        d.put("lastPolledAt", lastPolledAt == null ? null : lastPolledAt.toString());
        d.put("lastError", lastError);
        d.put("messagesProcessed", messagesProcessed);
        d.put("mode", mode);
        d.put("lastEventAt", lastEventAt == null ? null : lastEventAt.toString());
        d.put("auth", auth.method());
        d.put("oauthProvider", auth.provider());
        d.put("authStatus", auth.status());
        return d;
    }

    /** The inbox as the REST API shows it: the password only as {@code passwordSet}. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("emailAddress", emailAddress);
        v.put("host", host);
        v.put("port", port);
        v.put("security", security.id());
        v.put("username", username);
        v.put("auth", auth.method());
        v.put("oauthProvider", auth.provider());
        v.put("authStatus", auth.status());
        v.put("passwordSet", passwordSet);
        v.put("pollIntervalSeconds", pollIntervalSeconds);
        v.put("idle", idle);
        v.put("active", active);
        v.put("mode", mode);
        v.put("lastPolledAt", lastPolledAt == null ? null : lastPolledAt.toString());
        v.put("lastEventAt", lastEventAt == null ? null : lastEventAt.toString());
        v.put("lastError", lastError);
        v.put("messagesProcessed", messagesProcessed);
        v.put("createdAt", createdAt == null ? null : createdAt.toString());
        v.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        return v;
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse((String) value);
    }

    private static int number(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
