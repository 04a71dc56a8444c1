package com.dooneflow.connector.email.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.mail.Message;
import javax.mail.MessagingException;

import com.dooneflow.api.DedupeStore;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;

/**
 * Handles one email of one inbox: matches it against the workflows watching the inbox, commits it through the
 * sink (dedupe key inbox + UIDVALIDITY + UID, so a second delivery after a crash creates nothing), remembers its
 * Message-ID, and says whether it may now be marked as read. An email that cannot be used (too large, broken MIME)
 * is reported once on the Events page and left alone, so it never blocks the inbox.
 */
final class EmailIntake {

    /** What became of one email. */
    record Outcome(boolean accepted, boolean markAsRead) {
        static final Outcome IGNORED = new Outcome(false, false);
    }

    static final String MESSAGE_ID_SCOPE = "email.message-id";
    static final String REJECTED_SCOPE = "email.rejected";
    static final Duration REMEMBER = Duration.ofDays(400);

    private final DedupeStore dedupe;
    private final EventLog events;
    private final long maxMessageBytes;

    EmailIntake(DedupeStore dedupe, EventLog events, long maxMessageBytes) {
        this.dedupe = dedupe;
        this.events = events;
        this.maxMessageBytes = maxMessageBytes;
    }

    Outcome handle(Inbox inbox, TriggerSink sink, List<TriggerBinding> bindings, long uidValidity, long uid,
                   Message message) throws MessagingException {
        String key = inbox.id() + "/" + uidValidity + "/" + uid;
        int size = message.getSize();
        if (size > maxMessageBytes) {
            rejectOnce(inbox, key, "is " + size + " bytes, over the limit of " + maxMessageBytes
                    + " bytes (emailMaxMessageBytes); it was not processed", message);
            return Outcome.IGNORED;
        }
        ParsedEmail head;
        try {
            head = EmailParser.headers(message);
        } catch (EmailParser.Malformed e) {
            rejectOnce(inbox, key, "cannot be read: " + e.getMessage(), message);
            return Outcome.IGNORED;
        }
        List<EmailTrigger.Filter> matching = bindings.stream()
                .filter(b -> b.organizationId().equals(inbox.organizationId()))
                .map(EmailTrigger.Filter::of)
                .filter(f -> inbox.id().equals(f.inboxId()) && f.matches(head))
                .toList();
        if (matching.isEmpty()) {
            return Outcome.IGNORED;
        }
        boolean markAsRead = matching.stream().anyMatch(EmailTrigger.Filter::markAsRead);
        String messageKey = head.messageId() == null ? null : inbox.id() + "/" + sha256(head.messageId());
        if (messageKey != null && dedupe.seen(inbox.organizationId(), MESSAGE_ID_SCOPE, messageKey)) {
            return new Outcome(false, markAsRead); // the same email again (copied, or the mailbox was rebuilt)
        }
        ParsedEmail email;
        try {
            email = EmailParser.parse(message);
        } catch (EmailParser.Malformed e) {
            rejectOnce(inbox, key, "cannot be read: " + e.getMessage(), message);
            return Outcome.IGNORED;
        }
        TriggerSink.Acceptance acceptance = sink.accept(new TriggerEvent(inbox.organizationId(), EmailTrigger.TYPE,
                matching.stream().map(EmailTrigger.Filter::workflowId).toList(), key, email.data(inbox)));
        if (messageKey != null) {
            dedupe.firstSeen(inbox.organizationId(), MESSAGE_ID_SCOPE, messageKey, REMEMBER);
        }
        if (!acceptance.duplicate() && !email.warnings().isEmpty()) {
            events.record(inbox.organizationId(), Event.Level.WARN, source(inbox),
                    "An email in " + inbox.emailAddress() + " was read with a fallback: "
                            + String.join("; ", email.warnings()),
                    Map.of("inboxId", inbox.id(), "subject", nullToEmpty(email.subject()),
                            "executionIds", acceptance.executionIds()));
        }
        return new Outcome(!acceptance.duplicate(), markAsRead);
    }

    static String source(Inbox inbox) {
        return "email.imap:" + inbox.id();
    }

    private void rejectOnce(Inbox inbox, String key, String why, Message message) {
        if (!dedupe.firstSeen(inbox.organizationId(), REJECTED_SCOPE, key, REMEMBER)) {
            return;
        }
        String subject = "";
        try {
            subject = nullToEmpty(EmailParser.decode(first(message.getHeader("Subject"))));
        } catch (MessagingException e) {
            // keep the event without a subject
        }
        events.record(inbox.organizationId(), Event.Level.WARN, source(inbox),
                "An email in " + inbox.emailAddress() + " " + why + ".",
                Map.of("inboxId", inbox.id(), "subject", subject, "key", key));
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
