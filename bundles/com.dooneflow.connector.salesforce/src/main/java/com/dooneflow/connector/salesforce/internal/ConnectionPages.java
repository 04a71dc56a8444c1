package com.dooneflow.connector.salesforce.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import com.dooneflow.api.Page;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;

/**
 * {@code ?limit=N&cursor=C} over an organization's connections, as every list of the API pages. An organization has
 * a handful, so they are paged in memory, ordered by name; the opaque cursor is the position of the last
 * item of a page, so a page never repeats or skips a connection when others are added or removed meanwhile.
 */
final class ConnectionPages {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** Where a connection stands in the order; a cursor holds the one of a page's last item. */
    private record Position(String name, String id) {
        static Position of(SettingsEntry e) {
            return new Position(e.name(), e.id());
        }
    }

    /** As people read names (ignoring case), the exact name and the id settling ties. */
    private static final Comparator<Position> ORDER = Comparator.comparing(Position::name,
            String.CASE_INSENSITIVE_ORDER).thenComparing(Position::name).thenComparing(Position::id);

    private ConnectionPages() {
    }

    /**
     * The page size asked for, with the bounds of the rest of the API; taken as text because JAX-RS answers 404
     * to a number parameter that does not convert.
     */
    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ValidationException.of("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    static Page<SettingsEntry> page(List<SettingsEntry> entries, int limit, String cursor) {
        Position after = decode(cursor);
        List<SettingsEntry> rest = entries.stream().sorted(Comparator.comparing(Position::of, ORDER))
                .filter(e -> after == null || ORDER.compare(Position.of(e), after) > 0).toList();
        if (rest.size() <= limit) {
            return new Page<>(rest, null);
        }
        List<SettingsEntry> items = rest.subList(0, limit);
        return new Page<>(items, encode(items.get(limit - 1)));
    }

    /** Names cannot hold control characters, so a newline separates name and id. */
    private static String encode(SettingsEntry last) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((last.name() + "\n" + last.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static Position decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                return new Position(parts[0], parts[1]);
            }
        } catch (IllegalArgumentException e) {
            // not base64: answered below like any other foreign cursor
        }
        throw ValidationException.of("cursor", "is not a cursor this server handed out");
    }
}
