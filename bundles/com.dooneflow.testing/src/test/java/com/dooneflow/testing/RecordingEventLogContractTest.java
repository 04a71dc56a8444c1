package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.testing.contract.EventLogContract;

class RecordingEventLogContractTest extends EventLogContract {

    private final PinnableClock clock = new PinnableClock();
    private final RecordingEventLog log = new RecordingEventLog(clock);

    @Override
    protected EventLog log() {
        return log;
    }

    @Override
    protected synchronized Event recordAt(Instant time, String orgId, Event.Level level, String source, String message,
                                          Map<String, Object> details) {
        clock.pinned = time;
        try {
            return log.record(orgId, level, source, message, details);
        } finally {
            clock.pinned = null;
        }
    }

    @Test
    void recordedKeepsTheOrderOfRecordingAcrossOrganizations() {
        MutableClock mutable = new MutableClock();
        RecordingEventLog fresh = new RecordingEventLog(mutable);
        fresh.record("o", Event.Level.INFO, "test", "first", null);
        mutable.advance(Duration.ofMinutes(-5));
        fresh.record("other", Event.Level.ERROR, "test", "second", null);

        assertThat(fresh.recorded()).extracting(Event::message).containsExactly("first", "second");
        assertThat(fresh.recorded()).extracting(Event::time).containsExactly(mutable.instant().plusSeconds(300),
                mutable.instant());
        assertThat(fresh.at(Event.Level.ERROR)).extracting(Event::message).containsExactly("second");
    }

    /** The system clock, or a fixed instant while {@link #recordAt} records. */
    private static final class PinnableClock extends Clock {
        volatile Instant pinned;

        @Override
        public Instant instant() {
            Instant at = pinned;
            return at != null ? at : Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
