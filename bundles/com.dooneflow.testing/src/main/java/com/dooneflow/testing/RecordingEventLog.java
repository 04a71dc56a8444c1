package com.dooneflow.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.Page;
import com.dooneflow.api.ValidationException;

/**
 * The event log in memory: {@link #recorded()} in the order events came, {@link #list} as the real one (newest first
 * by time, pages with an opaque cursor, messages cut at 2,000 characters, details through JSON). Events are dated
 * by the clock given, so a test with a {@link MutableClock} decides their times.
 */
public class RecordingEventLog implements EventLog {

    /** The order of {@link #list}: newest first; events of the same millisecond newest recorded first. */
    private static final Comparator<Entry> NEWEST_FIRST =
            Comparator.comparing((Entry x) -> x.event.time()).thenComparingLong(Entry::sequence).reversed();

    private record Entry(long sequence, Event event) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Clock clock;

    public RecordingEventLog() {
        this(Clock.systemUTC());
    }

    public RecordingEventLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Event record(String orgId, Event.Level level, String source, String message, Map<String, Object> details) {
        String text = message.length() > 2000 ? message.substring(0, 1997) + "..." : message;
        Event e = new Event(UUID.randomUUID().toString(), orgId, clock.instant().truncatedTo(ChronoUnit.MILLIS), level,
                source, text, details(details));
        entries.add(new Entry(sequence.incrementAndGet(), e));
        return e;
    }

    /** Pages of {@code limit} (1..500) events of the organization in [from, to), newest first. */
    @Override
    public Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 500));
        Entry after = decode(cursor);
        List<Entry> matching = entries.stream()
                .filter(x -> x.event.organizationId().equals(orgId))
                .filter(x -> (from == null || !x.event.time().isBefore(from)) && (to == null || x.event.time().isBefore(to)))
                .filter(x -> after == null || NEWEST_FIRST.compare(x, after) > 0)
                .sorted(NEWEST_FIRST).toList();
        List<Entry> page = matching.stream().limit(size).toList();
        String next = matching.size() > size ? encode(page.get(size - 1)) : null;
        return new Page<>(page.stream().map(Entry::event).toList(), next);
    }

    /** Details as JSON gives them back; like the real log, details that are not plain JSON values are dropped. */
    private static Map<String, Object> details(Map<String, Object> details) {
        try {
            return details == null ? Map.of() : JsonValues.copy(details);
        } catch (IllegalArgumentException notJson) {
            return Map.of();
        }
    }

    private static String encode(Entry last) {
        String position = last.event.time() + "|" + last.sequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The last entry of the previous page (only its time and sequence count), null for the first page. */
    private static Entry decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            Instant time = Instant.parse(parts[0]);
            return new Entry(Long.parseLong(parts[1]), new Event(null, null, time, null, null, null, Map.of()));
        } catch (RuntimeException e) {
            throw ValidationException.of("cursor", "is not a cursor this log handed out");
        }
    }

    /** Every event of every organization, oldest first. */
    public List<Event> recorded() {
        return entries.stream().map(Entry::event).toList();
    }

    /** The recorded events of one level, oldest first. */
    public List<Event> at(Event.Level level) {
        return recorded().stream().filter(e -> e.level() == level).toList();
    }
}
