package com.dooneflow.connector.email.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;

/** Delivers raw emails by IMAP APPEND and counts unread ones, as a second mail client would. */
final class ImapTestClient {

    private final Inbox inbox;
    private final String password;
    private final javax.net.ssl.SSLSocketFactory tls;

    ImapTestClient(Inbox inbox, String password, javax.net.ssl.SSLSocketFactory tls) {
        this.inbox = inbox;
        this.password = password;
        this.tls = tls;
    }

    void append(String raw) throws Exception {
        try (Store store = connect()) {
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE);
            MimeMessage message = new MimeMessage(MailSessions.session(inbox, tls),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
            folder.appendMessages(new Message[] {message});
            folder.close(false);
        }
    }

    /** A connection kept open, to deliver many emails without a sign-in each (delay measurements). */
    Mailbox open() throws Exception {
        Store store = connect();
        Folder folder = store.getFolder("INBOX");
        folder.open(Folder.READ_WRITE);
        return new Mailbox(store, folder);
    }

    final class Mailbox implements AutoCloseable {
        private final Store store;
        private final Folder folder;

        private Mailbox(Store store, Folder folder) {
            this.store = store;
            this.folder = folder;
        }

        void append(String raw) throws Exception {
            folder.appendMessages(new Message[] {new MimeMessage(MailSessions.session(inbox, tls),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)))});
        }

        @Override
        public void close() throws Exception {
            folder.close(false);
            store.close();
        }
    }

    int unread() throws Exception {
        try (Store store = connect()) {
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_ONLY);
            int n = folder.getUnreadMessageCount();
            folder.close(false);
            return n;
        }
    }

    private Store connect() throws Exception {
        Store store = MailSessions.session(inbox, tls).getStore(MailSessions.protocol(inbox.security()));
        store.connect(inbox.host(), inbox.port(), inbox.username(), password);
        return store;
    }

    /** A small email; {@code extraHeaders} end with CRLF. */
    static String email(String from, String subject, String body) {
        return "From: " + from + "\r\nTo: support@example.com\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + java.util.UUID.randomUUID() + "@example.com>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + body + "\r\n";
    }
}
