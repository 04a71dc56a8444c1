package com.dooneflow.rest.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.dooneflow.api.Invitation;

/** The texts of the console's emails: plain text, each with the one link it is about. */
final class Mails {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    record Mail(String subject, String text) {
    }

    private Mails() {
    }

    static Mail invitation(Invitation invitation, String link) {
        return new Mail("You are invited to " + invitation.organizationName() + " on DooneFlow",
                invitation.invitedBy() + " invited you to join " + invitation.organizationName() + " on DooneFlow as "
                        + invitation.role().name().toLowerCase(java.util.Locale.ROOT) + ".\n\n"
                        + "Accept the invitation and choose your password here:\n" + link + "\n\n"
                        + "The link works until " + WHEN.format(invitation.expiresAt()) + ". If you already have a "
                        + "DooneFlow account, sign in and accept the invitation shown at the top of the page.\n"
                        + "If you did not expect this invitation, ignore this email.\n");
    }

    static Mail passwordReset(String email, String link, Instant expiresAt) {
        return new Mail("Reset your DooneFlow password",
                "Someone (you, or an owner or admin of your organization) asked to reset the DooneFlow password of "
                        + email + ".\n\nChoose a new password here:\n" + link + "\n\n"
                        + "The link works once, until " + WHEN.format(expiresAt) + ". Setting a new password signs "
                        + "you out everywhere.\nIf you did not ask for this, ignore this email: your password stays "
                        + "as it is.\n");
    }
}
