package com.dooneflow.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.Page;

/**
 * The event log in memory: {@link #recorded()} in the order events came, {@link #list} newest first in pages as
 * the real one (messages cut at 2,000 characters, details through JSON).
 */
public class RecordingEventLog implements EventLog {

    private record Entry(long sequence, Event event) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public Event record(String orgId, Event.Level level, String source, String message, Map<String, Object> details) {
        String text = message.length() > 2000 ? message.substring(0, 1997) + "..." : message;
        Event e = new Event(UUID.randomUUID().toString(), orgId, Instant.now().truncatedTo(ChronoUnit.MILLIS), level,
                source, text, details(details));
        entries.add(new Entry(sequence.incrementAndGet(), e));
        return e;
    }

    /** Pages of {@code limit} (1..500) events of the organization in [from, to), newest first. */
    @Override
    public Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 500));
        long before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
        List<Entry> matching = entries.stream()
                .filter(x -> x.event.organizationId().equals(orgId) && x.sequence < before)
                .filter(x -> (from == null || !x.event.time().isBefore(from)) && (to == null || x.event.time().isBefore(to)))
                .sorted(Comparator.comparingLong(Entry::sequence).reversed()).toList();
        List<Entry> page = matching.stream().limit(size).toList();
        String next = matching.size() > size ? String.valueOf(page.get(size - 1).sequence) : null;
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

    /** Every event of every organization, oldest first. */
    public List<Event> recorded() {
        return entries.stream().map(Entry::event).toList();
    }

    /** The recorded events of one level, oldest first. */
    public List<Event> at(Event.Level level) {
        return recorded().stream().filter(e -> e.level() == level).toList();
    }
}
