package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.sun.mail.imap.protocol.IMAPResponse;

class MailAnnouncementsTest {

    AtomicInteger wakeUps = new AtomicInteger();
    MailAnnouncements announcements = new MailAnnouncements(wakeUps::incrementAndGet);

    void receive(String line) throws Exception {
        announcements.handleResponse(new IMAPResponse(line));
    }

    @Test
    void onlyAnExistsIsMailAndItIsTakenOnce() throws Exception {
        receive("* 2 FETCH (FLAGS (\\Seen))"); // our own mark-as-read
        receive("* OK Still here"); // a keep-alive
        receive("* 1 RECENT");
        receive("+ idling");
        receive("A7 OK Idle completed.");
        assertThat(announcements.pending()).isFalse();
        assertThat(wakeUps).hasValue(0);

        receive("* 3 EXISTS");
        receive("* 4 EXISTS");

        assertThat(wakeUps).hasValue(2);
        assertThat(announcements.take()).isTrue();
        assertThat(announcements.take()).isFalse(); // one poll takes both
        assertThat(announcements.pending()).isFalse();
    }
}
