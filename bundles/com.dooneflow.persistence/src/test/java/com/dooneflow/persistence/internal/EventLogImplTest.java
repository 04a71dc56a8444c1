package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.dooneflow.api.Event;
import com.dooneflow.api.Page;
import com.dooneflow.api.ValidationException;

class EventLogImplTest extends DatabaseTestBase {

    private static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");

    @OnBothDatabases
    void listPagesNewestFirstWithACursorUntilTheLastPage(DbKind kind) {
        EventLogImpl log = new EventLogImpl(db(kind));
        String org = newId();
        recordFiveMinutesApart(kind, log, org);

        Page<Event> first = log.list(org, null, null, 2, null);
        Page<Event> second = log.list(org, null, null, 2, first.nextCursor());
        Page<Event> third = log.list(org, null, null, 2, second.nextCursor());

        assertThat(messages(first)).containsExactly("event 4", "event 3");
        assertThat(first.nextCursor()).isNotNull();
        assertThat(messages(second)).containsExactly("event 2", "event 1");
        assertThat(second.nextCursor()).isNotNull();
        assertThat(messages(third)).containsExactly("event 0");
        assertThat(third.nextCursor()).isNull();
    }

    @OnBothDatabases
    void pagingVisitsEventsOfTheSameInstantExactlyOnce(DbKind kind) {
        EventLogImpl log = new EventLogImpl(db(kind));
        String org = newId();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Event e = log.record(org, Event.Level.INFO, "webhook", "same time " + i, null);
            setTime(kind, e.id(), BASE);
            ids.add(e.id());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Event> page = log.list(org, null, null, 2, cursor);
            page.items().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
    }

    @OnBothDatabases
    void eachOrganizationSeesOnlyItsOwnEvents(DbKind kind) {
        EventLogImpl log = new EventLogImpl(db(kind));
        String orgA = newId();
        String orgB = newId();
        Event a = log.record(orgA, Event.Level.INFO, "imap", "for A", null);
        Event b = log.record(orgB, Event.Level.ERROR, "imap", "for B", null);

        assertThat(log.list(orgA, null, null, 50, null).items()).extracting(Event::id).containsExactly(a.id());
        assertThat(log.list(orgB, null, null, 50, null).items()).extracting(Event::id).containsExactly(b.id());
        assertThat(log.list(newId(), null, null, 50, null).items()).isEmpty();
    }

    @OnBothDatabases
    void fromIsInclusiveAndToIsExclusive(DbKind kind) {
        EventLogImpl log = new EventLogImpl(db(kind));
        String org = newId();
        recordFiveMinutesApart(kind, log, org);

        Page<Event> page = log.list(org, BASE.plusSeconds(60), BASE.plusSeconds(180), 50, null);

        assertThat(messages(page)).containsExactly("event 2", "event 1");
        assertThat(page.items()).extracting(Event::time).containsExactly(BASE.plusSeconds(120), BASE.plusSeconds(60));
        assertThat(messages(log.list(org, BASE.plusSeconds(180), null, 50, null))).containsExactly("event 4", "event 3");
        assertThat(messages(log.list(org, null, BASE.plusSeconds(60), 50, null))).containsExactly("event 0");
    }

    @OnBothDatabases
    void aCursorTheServerDidNotHandOutIsAValidationError(DbKind kind) {
        EventLogImpl log = new EventLogImpl(db(kind));
        String org = newId();
        String notATime = Base64.getUrlEncoder().encodeToString("yesterday|some-id".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> log.list(org, null, null, 10, "%%% not base64 %%%"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting("field").containsExactly("cursor"));
        assertThatThrownBy(() -> log.list(org, null, null, 10, notATime)).isInstanceOf(ValidationException.class);
    }

    @OnBothDatabases
    void recordKeepsLevelSourceAndDetailsAndShortensLongMessages(DbKind kind) {
        EventLogImpl log = new EventLogImpl(db(kind));
        String org = newId();

        log.record(org, Event.Level.WARN, "salesforce", "x".repeat(2500), Map.of("attempt", 3, "inbox", "sales"));

        Event stored = log.list(org, null, null, 10, null).items().get(0);
        assertThat(stored.organizationId()).isEqualTo(org);
        assertThat(stored.level()).isEqualTo(Event.Level.WARN);
        assertThat(stored.source()).isEqualTo("salesforce");
        assertThat(stored.details()).isEqualTo(Map.of("attempt", 3, "inbox", "sales"));
        assertThat(stored.message()).hasSize(2000).endsWith("...");
    }

    /** Records "event 0" … "event 4" and dates them a minute apart from {@link #BASE}, so order and ranges are exact. */
    private void recordFiveMinutesApart(DbKind kind, EventLogImpl log, String org) {
        for (int i = 0; i < 5; i++) {
            Event e = log.record(org, Event.Level.INFO, "imap", "event " + i, Map.of("i", i));
            setTime(kind, e.id(), BASE.plusSeconds(60L * i));
        }
    }

    /** Event times are stored as UTC wall-clock time (hibernate.jdbc.time_zone=UTC). */
    private void setTime(DbKind kind, String eventId, Instant time) {
        on(kind).update("update df_event set event_time = ? where id = ?", LocalDateTime.ofInstant(time, ZoneOffset.UTC),
                eventId);
    }

    private static List<String> messages(Page<Event> page) {
        return page.items().stream().map(Event::message).toList();
    }
}
