package com.dooneflow.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.dooneflow.api.DedupeStore;

/** Once-only keys in memory: atomic "first seen", and an expired key counts as unseen again, as in the real store. */
public class InMemoryDedupeStore implements DedupeStore {

    private record Key(String orgId, String scope, String key) {
    }

    private final Map<Key, Instant> expiries = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryDedupeStore() {
        this(Clock.systemUTC());
    }

    public InMemoryDedupeStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String orgId, String scope, String key, Duration ttl) {
        Instant now = clock.instant();
        AtomicBoolean first = new AtomicBoolean();
        expiries.compute(new Key(orgId, scope, key), (k, expires) -> {
            if (expires != null && !expires.isBefore(now)) {
                return expires;
            }
            first.set(true);
            return now.plus(ttl);
        });
        return first.get();
    }

    @Override
    public boolean seen(String orgId, String scope, String key) {
        Instant expires = expiries.get(new Key(orgId, scope, key));
        return expires != null && !expires.isBefore(clock.instant());
    }

    @Override
    public int purgeExpired() {
        Instant now = clock.instant();
        int before = expiries.size();
        expiries.values().removeIf(expires -> expires.isBefore(now));
        return before - expiries.size();
    }

    /** How many keys are stored, expired or not. */
    public int size() {
        return expiries.size();
    }
}
