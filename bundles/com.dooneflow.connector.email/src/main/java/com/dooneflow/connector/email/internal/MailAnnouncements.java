package com.dooneflow.connector.email.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.mail.iap.Response;
import com.sun.mail.iap.ResponseHandler;
import com.sun.mail.imap.protocol.IMAPResponse;

/**
 * Notes each {@code * n EXISTS} the server sends on the IDLE connection, whatever it comes with: the IDLE itself,
 * the DONE ending it, a NOOP, or the IDLE's start. A server reports, at its next chance, every message added since
 * what the connection was last told (RFC 3501 7.3.1), and may do so before its {@code +} continuation to IDLE
 * (GreenMail does): javax.mail reads those responses while starting IDLE, so {@code idle(true)} does not return for
 * them. Watching the protocol's responses, rather than the folder's count at some moment, loses none of them.
 *
 * <p>Runs on the thread reading the response, which may hold the folder's locks: {@code onAnnounced} must not block.
 */
final class MailAnnouncements implements ResponseHandler {

    private final AtomicBoolean pending = new AtomicBoolean();
    private final Runnable onAnnounced;

    MailAnnouncements(Runnable onAnnounced) {
        this.onAnnounced = onAnnounced;
    }

    @Override
    public void handleResponse(Response r) {
        if (r instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("EXISTS")) {
            pending.set(true);
            onAnnounced.run();
        }
    }

    /** True if mail was announced since the last call; the caller then polls. */
    boolean take() {
        return pending.getAndSet(false);
    }

    /** True if mail was announced and not taken yet. */
    boolean pending() {
        return pending.get();
    }
}
