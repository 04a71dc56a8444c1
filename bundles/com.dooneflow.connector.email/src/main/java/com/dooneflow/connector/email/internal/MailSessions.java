package com.dooneflow.connector.email.internal;

import java.util.Properties;

import javax.mail.Session;
import javax.net.ssl.SSLSocketFactory;

import com.dooneflow.connector.email.internal.Inbox.Security;

/**
 * The javax.mail session of an inbox, used by the Camel route and by "test connection" alike: TLS with the server's
 * identity checked (ssl from the first byte, or a required STARTTLS upgrade), plain text only when chosen, and
 * timeouts always. {@code tls} must come from {@link TlsTrust}, whose sockets check the server's name.
 */
final class MailSessions {

    static final int TIMEOUT_MILLIS = 20_000;

    private MailSessions() {
    }

    static String protocol(Security security) {
        return security == Security.SSL ? "imaps" : "imap";
    }

    static Session session(Inbox inbox, SSLSocketFactory tls) {
        return Session.getInstance(properties(inbox, tls));
    }

    /** The session of an IDLE connection, whose socket the watcher keeps (see {@link IdleSocket}). */
    static Session session(Inbox inbox, SSLSocketFactory tls, IdleSocket socket) {
        Properties props = properties(inbox, tls);
        if (inbox.security() == Security.SSL) {
            props.put("mail.imaps.ssl.socketFactory", socket.tls(tls));
        } else {
            props.put("mail.imap.socketFactory", socket.plain()); // STARTTLS still upgrades with ssl.socketFactory
        }
        return Session.getInstance(props);
    }

    static Properties properties(Inbox inbox, SSLSocketFactory tls) {
        String p = protocol(inbox.security());
        Properties props = new Properties();
        props.put("mail.store.protocol", p);
        props.put("mail." + p + ".host", inbox.host());
        props.put("mail." + p + ".port", String.valueOf(inbox.port()));
        props.put("mail." + p + ".connectiontimeout", String.valueOf(TIMEOUT_MILLIS));
        props.put("mail." + p + ".timeout", String.valueOf(TIMEOUT_MILLIS));
        // Never retry with the JVM's default factory behind our back: the real TLS error is the useful one.
        props.put("mail." + p + ".socketFactory.fallback", "false");
        if (inbox.oauth2()) {
            // SASL XOAUTH2 with the access token as the password (javax.mail builds the initial response).
            props.put("mail." + p + ".auth.mechanisms", "XOAUTH2");
            props.put("mail." + p + ".sasl.enable", "false");
        }
        switch (inbox.security()) {
            case SSL -> {
                props.put("mail.imaps.ssl.enable", "true");
                props.put("mail.imaps.ssl.checkserveridentity", "false"); // the handshake checks it: TlsTrust
                props.put("mail.imaps.ssl.socketFactory", tls);
            }
            case STARTTLS -> {
                props.put("mail.imap.starttls.enable", "true");
                props.put("mail.imap.starttls.required", "true");
                props.put("mail.imap.ssl.checkserveridentity", "false"); // the handshake checks it: TlsTrust
                props.put("mail.imap.ssl.socketFactory", tls);
            }
            case NONE -> {
                // plain text, because the inbox says so explicitly
            }
        }
        return props;
    }
}
