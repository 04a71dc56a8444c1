package com.dooneflow.api;

import java.time.Instant;
import java.util.Map;

/** An entry of the event log shown on the Events page. */
public record Event(String id, String organizationId, Instant time, Level level, String source, String message,
                   Map<String, Object> details) {

    public enum Level {
        INFO, WARN, ERROR
    }
}
