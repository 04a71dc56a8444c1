package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.Page;
import com.dooneflow.api.ValidationException;

/**
 * The contract of {@link EventLog}: {@code record} keeps the event (message cut to 2,000 characters, details as
 * JSON gives them back, dropped when they are not plain JSON) and returns it as {@code list} will show it;
 * {@code list} gives one organization's events in [from, to), newest first by time, in pages of 1 to 500 with an
 * opaque cursor that visits every event once; a cursor the log did not hand out is an error on the field
 * {@code cursor} (the REST layer answers 400 with it, never 500).
 */
public abstract class EventLogContract {

    /** A time in the past the paging tests date their events at. */
    protected static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");

    /** The log under test. It may be shared by the tests: each records in organizations of its own. */
    protected abstract EventLog log();

    /**
     * Records an event as {@link EventLog#record} does, but dated {@code time} (a real log dates events itself; the
     * suite needs known times to check order and ranges). Returns the event as {@code list} shows it.
     */
    protected abstract Event recordAt(Instant time, String orgId, Event.Level level, String source, String message,
                                      Map<String, Object> details);

    @Test
    public void recordReturnsTheEventAsTheListShowsIt() {
        EventLog log = log();
        String org = newId();
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        Event recorded = log.record(org, Event.Level.WARN, "salesforce", "token refresh failed",
                Map.of("attempt", 3, "connection", "Production"));

        assertThat(recorded.id()).isNotBlank();
        assertThat(recorded.organizationId()).isEqualTo(org);
        assertThat(recorded.time()).isBetween(before, Instant.now());
        assertThat(recorded.level()).isEqualTo(Event.Level.WARN);
        assertThat(recorded.source()).isEqualTo("salesforce");
        assertThat(recorded.message()).isEqualTo("token refresh failed");
        assertThat(recorded.details()).isEqualTo(Map.of("attempt", 3, "connection", "Production"));
        assertThat(log.list(org, null, null, 10, null).items()).containsExactly(recorded);
    }

    @Test
    public void longMessagesAreCutTo2000Characters() {
        EventLog log = log();
        String org = newId();

        Event cut = log.record(org, Event.Level.ERROR, "imap", "x".repeat(2500), null);
        Event kept = log.record(org, Event.Level.ERROR, "imap", "y".repeat(2000), null);

        assertThat(cut.message()).hasSize(2000).endsWith("...").startsWith("xxx");
        assertThat(kept.message()).isEqualTo("y".repeat(2000));
        assertThat(log.list(org, null, null, 10, null).items()).extracting(Event::message)
                .containsExactlyInAnyOrder(cut.message(), kept.message());
    }

    @Test
    public void detailsComeBackAsJsonGivesThemAndAreNeverNull() {
        EventLog log = log();
        String org = newId();

        Event json = log.record(org, Event.Level.INFO, "webhook", "json", Map.of("n", 5L, "list", List.of(1, "a")));
        Event none = log.record(org, Event.Level.INFO, "webhook", "none", null);
        Event notJson = log.record(org, Event.Level.INFO, "webhook", "not json", Map.of("x", new Object()));

        assertThat(json.details()).isEqualTo(Map.of("n", 5, "list", List.of(1, "a")));
        assertThat(none.details()).isEmpty();
        assertThat(notJson.details()).as("dropped, the event is still recorded").isEmpty();
        assertThat(log.list(org, null, null, 10, null).items()).hasSize(3);
    }

    @Test
    public void listPagesNewestFirstWithACursorUntilTheLastPage() {
        EventLog log = log();
        String org = newId();
        recordAMinuteApart(org, 5);

        Page<Event> first = log.list(org, null, null, 2, null);
        Page<Event> second = log.list(org, null, null, 2, first.nextCursor());
        Page<Event> third = log.list(org, null, null, 2, second.nextCursor());

        assertThat(messages(first)).containsExactly("event 4", "event 3");
        assertThat(first.nextCursor()).isNotNull();
        assertThat(messages(second)).containsExactly("event 2", "event 1");
        assertThat(second.nextCursor()).isNotNull();
        assertThat(messages(third)).containsExactly("event 0");
        assertThat(third.nextCursor()).isNull();
        assertThat(log.list(org, null, null, 2, "")).as("an empty cursor: the first page").isEqualTo(first);
    }

    @Test
    public void newestFirstMeansByTimeNotByTheOrderOfRecording() {
        EventLog log = log();
        String org = newId();
        recordAt(BASE.plusSeconds(120), org, Event.Level.INFO, "imap", "later", null);
        recordAt(BASE.plusSeconds(60), org, Event.Level.INFO, "imap", "earlier", null);
        recordAt(BASE.plusSeconds(180), org, Event.Level.INFO, "imap", "latest", null);

        assertThat(messages(log.list(org, null, null, 10, null))).containsExactly("latest", "later", "earlier");
        Page<Event> first = log.list(org, null, null, 1, null);
        assertThat(messages(log.list(org, null, null, 10, first.nextCursor()))).containsExactly("later", "earlier");
    }

    @Test
    public void pagingVisitsEventsOfTheSameInstantExactlyOnce() {
        EventLog log = log();
        String org = newId();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(recordAt(BASE, org, Event.Level.INFO, "webhook", "same time " + i, null).id());
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

    @Test
    public void fromIsInclusiveAndToIsExclusive() {
        EventLog log = log();
        String org = newId();
        recordAMinuteApart(org, 5);

        Page<Event> page = log.list(org, BASE.plusSeconds(60), BASE.plusSeconds(180), 50, null);

        assertThat(messages(page)).containsExactly("event 2", "event 1");
        assertThat(page.items()).extracting(Event::time).containsExactly(BASE.plusSeconds(120), BASE.plusSeconds(60));
        assertThat(messages(log.list(org, BASE.plusSeconds(180), null, 50, null))).containsExactly("event 4", "event 3");
        assertThat(messages(log.list(org, null, BASE.plusSeconds(60), 50, null))).containsExactly("event 0");
    }

    @Test
    public void aLimitBelowOneGivesPagesOfOne() {
        EventLog log = log();
        String org = newId();
        recordAMinuteApart(org, 2);

        Page<Event> page = log.list(org, null, null, 0, null);

        assertThat(messages(page)).containsExactly("event 1");
        assertThat(messages(log.list(org, null, null, -5, page.nextCursor()))).containsExactly("event 0");
    }

    @Test
    public void eachOrganizationSeesOnlyItsOwnEvents() {
        EventLog log = log();
        String orgA = newId();
        String orgB = newId();
        Event a = log.record(orgA, Event.Level.INFO, "imap", "for A", null);
        Event b = log.record(orgB, Event.Level.ERROR, "imap", "for B", null);

        assertThat(log.list(orgA, null, null, 50, null).items()).extracting(Event::id).containsExactly(a.id());
        assertThat(log.list(orgB, null, null, 50, null).items()).extracting(Event::id).containsExactly(b.id());
        assertThat(log.list(newId(), null, null, 50, null).items()).isEmpty();
    }

    @Test
    public void aCursorTheLogDidNotHandOutIsAnErrorOnTheCursorField() {
        EventLog log = log();
        String org = newId();
        String encodedNonsense = Base64.getUrlEncoder().encodeToString("yesterday|some-id".getBytes(StandardCharsets.UTF_8));

        for (String cursor : List.of("%%% not base64 %%%", encodedNonsense, "12")) {
            assertThatThrownBy(() -> log.list(org, null, null, 10, cursor)).as(cursor)
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field)
                            .containsExactly("cursor"));
        }
    }

    /** Records "event 0" … "event {count - 1}", dated a minute apart from {@link #BASE}. */
    private void recordAMinuteApart(String org, int count) {
        for (int i = 0; i < count; i++) {
            recordAt(BASE.plusSeconds(60L * i), org, Event.Level.INFO, "imap", "event " + i, Map.of("i", i));
        }
    }

    private static List<String> messages(Page<Event> page) {
        return page.items().stream().map(Event::message).toList();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
