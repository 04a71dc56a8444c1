package com.dooneflow.api;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** Integration-level events (a trigger failing, a connection needing reconnect) per organization. */
@ProviderType
public interface EventLog {

    Event record(String orgId, Event.Level level, String source, String message, Map<String, Object> details);

    /** Newest first. */
    Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor);
}
