package com.dooneflow.persistence.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Nested;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.testing.contract.EventLogContract;

/** The {@link EventLogContract} on both databases. */
class EventLogImplTest extends DatabaseTestBase {

    @Nested
    class OnH2 extends EventLogContract {
        @Override
        protected EventLog log() {
            return new EventLogImpl(db(DbKind.H2));
        }

        @Override
        protected Event recordAt(Instant time, String orgId, Event.Level level, String source, String message,
                                 Map<String, Object> details) {
            return EventLogImplTest.this.recordAt(DbKind.H2, time, orgId, level, source, message, details);
        }
    }

    @Nested
    class OnPostgres extends EventLogContract {
        @Override
        protected EventLog log() {
            return new EventLogImpl(db(DbKind.POSTGRES));
        }

        @Override
        protected Event recordAt(Instant time, String orgId, Event.Level level, String source, String message,
                                 Map<String, Object> details) {
            return EventLogImplTest.this.recordAt(DbKind.POSTGRES, time, orgId, level, source, message, details);
        }
    }

    /** Records the event, then dates it: times are stored as UTC wall-clock time (hibernate.jdbc.time_zone=UTC). */
    private Event recordAt(DbKind kind, Instant time, String orgId, Event.Level level, String source, String message,
                           Map<String, Object> details) {
        Event e = new EventLogImpl(db(kind)).record(orgId, level, source, message, details);
        on(kind).update("update df_event set event_time = ? where id = ?", LocalDateTime.ofInstant(time, ZoneOffset.UTC),
                e.id());
        return new Event(e.id(), e.organizationId(), time, e.level(), e.source(), e.message(), e.details());
    }
}
