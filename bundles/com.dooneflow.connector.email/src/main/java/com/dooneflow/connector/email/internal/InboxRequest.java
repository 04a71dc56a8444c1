package com.dooneflow.connector.email.internal;

import static com.dooneflow.connector.email.internal.BodyFields.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;
import com.dooneflow.connector.email.internal.Inbox.Security;

/**
 * A create or PATCH body of an inbox, checked field by field. Every problem is reported at once, naming its field;
 * nothing is stored unless the whole body is valid.
 */
final class InboxRequest {

    static final int MIN_POLL_SECONDS = 30;
    static final int MAX_POLL_SECONDS = 86_400;
    static final int DEFAULT_POLL_SECONDS = 60;
    static final Set<String> WRITABLE = Set.of("emailAddress", "host", "port", "security", "username",
            "password", "pollIntervalSeconds", "idle", "active", "auth", "oauthProvider");
    private static final Set<String> READ_ONLY = Set.of("id", "passwordSet", "authStatus", "lastPolledAt", "lastError",
            "messagesProcessed", "mode", "lastEventAt", "createdAt", "updatedAt");
    /** A DNS name or an IPv4 literal; IPv6 literals without brackets. */
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
                    + "|[0-9A-Fa-f:.]{2,45}");

    private InboxRequest() {
    }

    /**
     * A new inbox from a create body (defaults: password sign-in, ssl, its port, the address as username, 60 s, IDLE,
     * active; with OAuth 2.0 for Microsoft 365 or Google, their IMAP server).
     */
    static Inbox create(String id, String orgId, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        check(body, errors);
        String email = emailAddress(body.get("emailAddress"), true, errors);
        Inbox.Auth auth = auth(body.getOrDefault("auth", Inbox.AUTH_PASSWORD), body.get("oauthProvider"), null, errors);
        OAuthApp.Preset preset = auth == null || !auth.oauth2() || auth.provider() == null ? null
                : OAuthApp.preset(auth.provider(), null);
        String host = body.get("host") == null && preset != null ? preset.imapHost()
                : host(body.get("host"), true, errors);
        Security security = body.containsKey("security") ? security(body.get("security"), errors) : Security.SSL;
        Integer port = body.containsKey("port") ? port(body.get("port"), errors)
                : security == null ? null : Integer.valueOf(security.defaultPort());
        String username = body.get("username") == null ? email : text("username", body.get("username"), 320, errors);
        if (!Inbox.AUTH_OAUTH2.equals(body.get("auth"))) {
            password(body.get("password"), true, errors);
        } else if (body.get("password") != null) {
            errors.add(new FieldError("password", "is only for password sign-in; this inbox signs in with OAuth 2.0"));
        }
        Integer poll = body.containsKey("pollIntervalSeconds") ? pollInterval(body.get("pollIntervalSeconds"), errors)
                : Integer.valueOf(DEFAULT_POLL_SECONDS);
        Boolean idle = body.containsKey("idle") ? bool("idle", body.get("idle"), errors) : Boolean.TRUE;
        Boolean active = body.containsKey("active") ? bool("active", body.get("active"), errors) : Boolean.TRUE;
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new Inbox(id, orgId, email, host, port, security, username, poll, idle, active, 1, null, null, 0,
                Inbox.MODE_POLL, null, !auth.oauth2(), null, null, auth);
    }

    /** The inbox with a PATCH applied; the revision grows when a connection setting changed. */
    static Inbox patch(Inbox current, Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        check(body, errors);
        String email = body.containsKey("emailAddress") ? emailAddress(body.get("emailAddress"), true, errors)
                : current.emailAddress();
        String host = body.containsKey("host") ? host(body.get("host"), true, errors) : current.host();
        Security security = body.containsKey("security") ? security(body.get("security"), errors) : current.security();
        Integer port = body.containsKey("port") ? port(body.get("port"), errors) : Integer.valueOf(current.port());
        String username = body.containsKey("username") ? text("username", body.get("username"), 320, errors)
                : current.username();
        Inbox.Auth auth = body.containsKey("auth") || body.containsKey("oauthProvider")
                ? auth(body.getOrDefault("auth", current.auth().method()),
                        body.containsKey("oauthProvider") ? body.get("oauthProvider") : current.auth().provider(),
                        current.auth(), errors)
                : current.auth();
        if (body.containsKey("password")) {
            if (auth != null && auth.oauth2()) {
                errors.add(new FieldError("password", "is only for password sign-in; this inbox signs in with OAuth 2.0"));
            } else {
                password(body.get("password"), true, errors);
            }
        } else if (auth != null && !auth.oauth2() && !current.passwordSet()) {
            errors.add(new FieldError("password", "is required to switch to password sign-in"));
        }
        Integer poll = body.containsKey("pollIntervalSeconds") ? pollInterval(body.get("pollIntervalSeconds"), errors)
                : Integer.valueOf(current.pollIntervalSeconds());
        Boolean idle = body.containsKey("idle") ? bool("idle", body.get("idle"), errors) : Boolean.valueOf(current.idle());
        Boolean active = body.containsKey("active") ? bool("active", body.get("active"), errors) : Boolean.valueOf(current.active());
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Inbox next = new Inbox(current.id(), current.organizationId(), email, host, port, security, username, poll,
                idle, active, current.configRevision(), current.lastPolledAt(), current.lastError(),
                current.messagesProcessed(), current.mode(), current.lastEventAt(), current.passwordSet(),
                current.createdAt(), current.updatedAt(), auth);
        boolean changed = !next.data().equals(current.data()) || body.containsKey("password");
        return changed ? withRevision(next, current.configRevision() + 1) : next;
    }

    static String password(Map<String, Object> body) {
        return (String) body.get("password");
    }

    private static Inbox withRevision(Inbox i, long revision) {
        return new Inbox(i.id(), i.organizationId(), i.emailAddress(), i.host(), i.port(), i.security(), i.username(),
                i.pollIntervalSeconds(), i.idle(), i.active(), revision, i.lastPolledAt(), i.lastError(),
                i.messagesProcessed(), i.mode(), i.lastEventAt(), i.passwordSet(), i.createdAt(), i.updatedAt(), i.auth());
    }

    private static void check(Map<String, Object> body, List<FieldError> errors) {
        BodyFields.check(body, READ_ONLY, WRITABLE, "is not a field of an email inbox (fields: emailAddress, "
                + "host, port, security, username, password, pollIntervalSeconds, idle, active, auth, oauthProvider)",
                errors);
    }

    private static String emailAddress(Object value, boolean required, List<FieldError> errors) {
        String s = text("emailAddress", value, 254, errors);
        if (s == null) {
            if (required && value == null) {
                errors.add(new FieldError("emailAddress", "is required"));
            }
            return null;
        }
        try {
            new InternetAddress(s, true).validate();
            if (!s.contains("@")) {
                throw new AddressException("no @");
            }
        } catch (AddressException e) {
            errors.add(new FieldError("emailAddress", "must be an email address such as support@example.com"));
        }
        return s;
    }

    private static String host(Object value, boolean required, List<FieldError> errors) {
        String s = text("host", value, 253, errors);
        if (s == null) {
            if (required && value == null) {
                errors.add(new FieldError("host", "is required: the IMAP server, e.g. imap.gmail.com"));
            }
            return null;
        }
        if (!HOST.matcher(s).matches()) {
            errors.add(new FieldError("host", "must be a host name or IP address such as imap.gmail.com"));
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * How the inbox signs in. A new OAuth 2.0 sign-in, or another provider, starts {@code not_connected} (Connect
     * sends the user through the provider's consent); otherwise the status stays.
     */
    private static Inbox.Auth auth(Object method, Object provider, Inbox.Auth current, List<FieldError> errors) {
        if (Inbox.AUTH_PASSWORD.equals(method)) {
            if (provider != null && (current == null || !current.oauth2() || !provider.equals(current.provider()))) {
                errors.add(new FieldError("oauthProvider", "is only for auth oauth2"));
            }
            return Inbox.Auth.PASSWORD;
        }
        if (!Inbox.AUTH_OAUTH2.equals(method)) {
            errors.add(new FieldError("auth", "must be password or oauth2"));
            return null;
        }
        if (!(provider instanceof String p) || !OAuthApp.PROVIDERS.contains(p)) {
            errors.add(new FieldError("oauthProvider", "must be one of microsoft, google, generic (the organization's "
                    + "OAuth app for that provider signs the inbox in)"));
            return null;
        }
        if (current != null && current.oauth2() && p.equals(current.provider())) {
            return current;
        }
        return new Inbox.Auth(Inbox.AUTH_OAUTH2, p, Inbox.NOT_CONNECTED);
    }

    private static Security security(Object value, List<FieldError> errors) {
        Security s = Security.parse(value);
        if (s == null) {
            errors.add(new FieldError("security", "must be one of ssl, starttls, none"));
        }
        return s;
    }

    private static Integer port(Object value, List<FieldError> errors) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
                || ((Number) value).longValue() > 65_535) {
            errors.add(new FieldError("port", "must be a whole number from 1 to 65535 (usually 993 for ssl, "
                    + "143 for starttls)"));
            return null;
        }
        return ((Number) value).intValue();
    }

    private static Integer pollInterval(Object value, List<FieldError> errors) {
        if (!(value instanceof Integer || value instanceof Long)) {
            errors.add(new FieldError("pollIntervalSeconds", "must be a whole number of seconds"));
            return null;
        }
        long seconds = ((Number) value).longValue();
        if (seconds < MIN_POLL_SECONDS) {
            errors.add(new FieldError("pollIntervalSeconds", "must be at least " + MIN_POLL_SECONDS
                    + " seconds (60 is recommended); mail servers limit how often a mailbox may be checked"));
            return null;
        }
        if (seconds > MAX_POLL_SECONDS) {
            errors.add(new FieldError("pollIntervalSeconds", "must be at most " + MAX_POLL_SECONDS
                    + " seconds (one day)"));
            return null;
        }
        return (int) seconds;
    }

    private static void password(Object value, boolean required, List<FieldError> errors) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            if (required) {
                errors.add(new FieldError("password", "is required: the IMAP password or an app password"));
            }
        } else if (!(value instanceof String s) || s.length() > 1024) {
            errors.add(new FieldError("password", "must be a string of at most 1024 characters"));
        }
    }

    private static Boolean bool(String field, Object value, List<FieldError> errors) {
        if (!(value instanceof Boolean b)) {
            errors.add(new FieldError(field, "must be true or false"));
            return null;
        }
        return b;
    }
}
