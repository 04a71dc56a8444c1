package com.dooneflow.connector.email.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.mail.Folder;
import javax.mail.MessagingException;
import javax.mail.Store;
import javax.net.ssl.SSLSocketFactory;

import com.dooneflow.api.outbound.OutboundGuard;

/**
 * "Test connection": signs in to the inbox exactly as its poller would and answers in words, e.g.
 * {@code {"ok": false, "code": "authentication_failed", "message": "Authentication failed: ..."}}.
 */
final class ConnectionTester {

    private ConnectionTester() {
    }

    static Map<String, Object> test(Inbox inbox, java.util.function.Supplier<String> credential, SSLSocketFactory tls,
                                    OutboundGuard guard) {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            String secret = credential.get(); // first: an inbox that cannot sign in says so without the network
            guard.resolve(inbox.host());
            Store store = MailSessions.session(inbox, tls).getStore(MailSessions.protocol(inbox.security()));
            try {
                store.connect(inbox.host(), inbox.port(), inbox.username(), secret);
                Folder folder = store.getFolder("INBOX");
                folder.open(Folder.READ_ONLY);
                int total = folder.getMessageCount();
                int unread = folder.getUnreadMessageCount();
                folder.close(false);
                result.put("ok", true);
                result.put("code", "connected");
                result.put("message", "Connected: signed in to " + inbox.host() + ":" + inbox.port() + " as "
                        + inbox.username() + (inbox.oauth2() ? " (OAuth 2.0)" : "") + "; INBOX holds " + total + " emails, " + unread + " unread.");
            } finally {
                if (store.isConnected()) {
                    store.close();
                }
            }
        } catch (MessagingException | java.io.IOException | RuntimeException e) {
            MailErrors.Described d = MailErrors.describe(e, inbox);
            result.put("ok", false);
            result.put("code", d.code());
            result.put("message", d.message());
        }
        return result;
    }
}
