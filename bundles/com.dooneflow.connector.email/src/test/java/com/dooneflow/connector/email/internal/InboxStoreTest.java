package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.testing.InMemoryConnectorSettings;

/** lastError is shared by the polls and the IDLE connection: neither clears the other's. */
class InboxStoreTest {

    InboxStore inboxes = new InboxStore(new InMemoryConnectorSettings());
    Inbox inbox = inboxes.create("org", new HashMap<>(Map.of("emailAddress", "support@example.com", "host",
            "imap.example.com", "password", "pw")));
    Instant now = Instant.parse("2026-03-01T10:00:00Z");

    Inbox stored() {
        return inboxes.require("org", inbox.id());
    }

    @Test
    void aWorkingPollLeavesTheIdleErrorWhichOnlyIdleWorkingAgainClears() {
        inboxes.recordIdle(inbox, "poll", "IDLE failed", null);
        assertThat(inboxes.recordPoll(inbox, now, null, 1, "poll", true)).isNull(); // no "polled again" event

        assertThat(stored().lastError()).isEqualTo("IDLE failed");
        assertThat(stored().mode()).isEqualTo("poll");
        assertThat(stored().messagesProcessed()).isEqualTo(1);

        inboxes.update("org", inbox.id(), Map.of("pollIntervalSeconds", 120)); // an edit keeps where it came from
        inboxes.recordIdle(inbox, "idle", null, now);

        assertThat(stored().lastError()).isNull();
        assertThat(stored().mode()).isEqualTo("idle");
        assertThat(stored().lastEventAt()).isEqualTo(now);
    }

    @Test
    void aPollErrorWinsOverTheIdleErrorAndIdleWorkingAgainDoesNotClearIt() {
        inboxes.recordIdle(inbox, "poll", "IDLE failed", null);
        assertThat(inboxes.recordPoll(inbox, now, "Authentication failed", 0, "poll", true)).isNull();
        inboxes.recordIdle(inbox, "poll", "IDLE failed again", null);
        inboxes.recordIdle(inbox, "idle", null, null);

        assertThat(stored().lastError()).isEqualTo("Authentication failed");
        assertThat(inboxes.recordPoll(inbox, now, null, 0, "idle", false)).isEqualTo("Authentication failed");
        assertThat(stored().lastError()).isNull();
    }

    @Test
    void anIdleErrorLeftBehindIsClearedByAPollOnceNoIdleConnectionFails() {
        inboxes.recordIdle(inbox, "poll", "IDLE failed", null);

        // e.g. IDLE was turned off meanwhile: nothing will clear it but the poll, and that is no "polled again"
        assertThat(inboxes.recordPoll(inbox, now, null, 0, "poll", false)).isNull();
        assertThat(stored().lastError()).isNull();
    }
}
