package com.dooneflow.persistence.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import com.dooneflow.api.ValidationException;

/** Opaque list cursors: the (time, id) of the last item of a page, newest first. */
final class Cursors {

    record Position(Instant time, String id) {
    }

    private Cursors() {
    }

    static String encode(Instant time, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((time + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("cursor without id");
            }
            return new Position(Instant.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw ValidationException.of("cursor", "is not a cursor this server handed out");
        }
    }
}
