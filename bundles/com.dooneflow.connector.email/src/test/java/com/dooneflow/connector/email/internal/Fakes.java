package com.dooneflow.connector.email.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.dooneflow.api.DedupeStore;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.Lease;
import com.dooneflow.api.LeaseService;
import com.dooneflow.api.Page;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.SettingsStore;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink;

/** In-memory stand-ins for the core services, with the semantics their interfaces document. */
final class Fakes {

    private Fakes() {
    }

    static final class Settings implements SettingsStore {
        final Map<String, SettingsEntry> entries = new ConcurrentHashMap<>();
        final Map<String, String> secrets = new ConcurrentHashMap<>();

        @Override
        public synchronized SettingsEntry save(String orgId, String connector, String name, Map<String, Object> data,
                                               Map<String, String> newSecrets) {
            Optional<SettingsEntry> existing = findByName(orgId, connector, name);
            String id = existing.map(SettingsEntry::id).orElse(UUID.randomUUID().toString());
            Instant now = Instant.now();
            SettingsEntry entry = new SettingsEntry(id, orgId, connector, name, new LinkedHashMap<>(data), Set.of(),
                    existing.map(e -> e.version() + 1).orElse(1L), existing.map(SettingsEntry::createdAt).orElse(now), now);
            entries.put(id, entry);
            applySecrets(id, newSecrets);
            return get(orgId, connector, id).orElseThrow();
        }

        private void applySecrets(String id, Map<String, String> newSecrets) {
            newSecrets.forEach((field, value) -> {
                if (value == null) {
                    return;
                }
                if (value.isEmpty()) {
                    secrets.remove(id + "/" + field);
                } else {
                    secrets.put(id + "/" + field, value);
                }
            });
        }

        private SettingsEntry withSecretsSet(SettingsEntry e) {
            Set<String> set = new java.util.TreeSet<>();
            secrets.keySet().stream().filter(k -> k.startsWith(e.id() + "/"))
                    .forEach(k -> set.add(k.substring(e.id().length() + 1)));
            return new SettingsEntry(e.id(), e.organizationId(), e.connector(), e.name(), Map.copyOf(nonNull(e.data())),
                    set, e.version(), e.createdAt(), e.updatedAt());
        }

        private static Map<String, Object> nonNull(Map<String, Object> data) {
            Map<String, Object> copy = new HashMap<>();
            data.forEach((k, v) -> {
                if (v != null) {
                    copy.put(k, v);
                }
            });
            return copy;
        }

        @Override
        public synchronized SettingsEntry create(String orgId, String connector, String name,
                                                 Map<String, Object> data, Map<String, String> secrets) {
            if (findByName(orgId, connector, name).isPresent()) {
                throw new com.dooneflow.api.ConflictException("name", "'" + name + "' is already taken");
            }
            return save(orgId, connector, name, data, secrets);
        }

        @Override
        public Optional<SettingsEntry> get(String orgId, String connector, String id) {
            SettingsEntry e = entries.get(id);
            return e != null && e.organizationId().equals(orgId) && e.connector().equals(connector)
                    ? Optional.of(withSecretsSet(e)) : Optional.empty();
        }

        @Override
        public Optional<SettingsEntry> findByName(String orgId, String connector, String name) {
            return list(orgId, connector).stream().filter(e -> e.name().equals(name)).findFirst();
        }

        @Override
        public List<SettingsEntry> list(String orgId, String connector) {
            return listAll(connector).stream().filter(e -> e.organizationId().equals(orgId)).toList();
        }

        @Override
        public List<SettingsEntry> listAll(String connector) {
            return entries.values().stream().filter(e -> e.connector().equals(connector)).map(this::withSecretsSet)
                    .toList();
        }

        @Override
        public synchronized boolean delete(String orgId, String connector, String id) {
            if (get(orgId, connector, id).isEmpty()) {
                return false;
            }
            entries.remove(id);
            secrets.keySet().removeIf(k -> k.startsWith(id + "/"));
            return true;
        }

        @Override
        public Optional<String> secret(SettingsEntry entry, String field) {
            return Optional.ofNullable(secrets.get(entry.id() + "/" + field));
        }

        @Override
        public synchronized <T> T withLock(String orgId, String connector, String id, Function<LockedEntry, T> work) {
            SettingsEntry entry = get(orgId, connector, id).orElseThrow();
            return work.apply(new LockedEntry() {
                @Override
                public SettingsEntry entry() {
                    return entry;
                }

                @Override
                public Optional<String> secret(String field) {
                    return Settings.this.secret(entry, field);
                }

                @Override
                public void update(Map<String, Object> data, Map<String, String> newSecrets) {
                    entries.put(id, new SettingsEntry(id, orgId, connector, entry.name(), new HashMap<>(data),
                            Set.of(), entry.version() + 1, entry.createdAt(), Instant.now()));
                    applySecrets(id, newSecrets);
                }

                @Override
                public void rename(String name) {
                    SettingsEntry e = entries.get(id);
                    entries.put(id, new SettingsEntry(id, orgId, connector, name, e.data(), Set.of(), e.version() + 1,
                            e.createdAt(), Instant.now()));
                }
            });
        }
    }

    static final class Dedupe implements DedupeStore {
        final Map<String, Instant> keys = new ConcurrentHashMap<>();

        @Override
        public boolean firstSeen(String orgId, String scope, String key, Duration ttl) {
            return keys.putIfAbsent(orgId + "|" + scope + "|" + key, Instant.now().plus(ttl)) == null;
        }

        @Override
        public boolean seen(String orgId, String scope, String key) {
            return keys.containsKey(orgId + "|" + scope + "|" + key);
        }

        @Override
        public int purgeExpired() {
            return 0;
        }
    }

    /** One lease table; {@link #node} gives another node's view of it. */
    static final class Leases implements LeaseService {
        final Map<String, Lease> held;
        final Clock clock;
        final String node;
        final java.util.concurrent.atomic.AtomicLong tokens;

        Leases(Clock clock, String node) {
            this(clock, node, new ConcurrentHashMap<>(), new java.util.concurrent.atomic.AtomicLong());
        }

        private Leases(Clock clock, String node, Map<String, Lease> held, java.util.concurrent.atomic.AtomicLong tokens) {
            this.clock = clock;
            this.node = node;
            this.held = held;
            this.tokens = tokens;
        }

        Leases node(String otherNode) {
            return new Leases(clock, otherNode, held, tokens);
        }

        @Override
        public Optional<Lease> tryAcquire(String name, String holder, Duration ttl) {
            synchronized (held) {
                Lease current = held.get(name);
                Instant now = clock.instant();
                if (current != null && !current.holder().equals(holder) && current.expiresAt().isAfter(now)) {
                    return Optional.empty();
                }
                long token = current != null && current.holder().equals(holder) ? current.fencingToken()
                        : tokens.incrementAndGet();
                Lease lease = new Lease(name, holder, token, now.plus(ttl));
                held.put(name, lease);
                return Optional.of(lease);
            }
        }

        @Override
        public boolean renew(Lease lease, Duration ttl) {
            return tryAcquire(lease.name(), lease.holder(), ttl).isPresent();
        }

        @Override
        public void release(Lease lease) {
            synchronized (held) {
                held.computeIfPresent(lease.name(), (k, v) -> v.holder().equals(lease.holder()) ? null : v);
            }
        }

        @Override
        public String nodeId() {
            return node;
        }
    }

    static final class Events implements EventLog {
        final List<Event> recorded = new CopyOnWriteArrayList<>();

        @Override
        public Event record(String orgId, Event.Level level, String source, String message,
                            Map<String, Object> details) {
            Event e = new Event(UUID.randomUUID().toString(), orgId, Instant.now(), level, source, message, details);
            recorded.add(e);
            return e;
        }

        @Override
        public Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor) {
            return new Page<>(recorded.stream().filter(e -> e.organizationId().equals(orgId)).toList(), null);
        }

        List<Event> at(Event.Level level) {
            return recorded.stream().filter(e -> e.level() == level).toList();
        }
    }

    /** The engine's sink: commits events by dedupe key (a repeat creates nothing) and serves the bindings. */
    static final class Sink implements TriggerSink {
        final List<TriggerEvent> accepted = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> byKey = new ConcurrentHashMap<>();
        final List<TriggerBinding> bindings = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;

        @Override
        public synchronized Acceptance accept(TriggerEvent event) {
            if (failure != null) {
                throw failure;
            }
            List<String> first = byKey.get(event.dedupeKey());
            if (first != null) {
                return new Acceptance(first, true);
            }
            List<String> ids = new ArrayList<>();
            event.workflowIds().forEach(w -> ids.add(UUID.randomUUID().toString()));
            byKey.put(event.dedupeKey(), ids);
            accepted.add(event);
            return new Acceptance(ids, false);
        }

        @Override
        public List<TriggerBinding> bindings() {
            return List.copyOf(bindings);
        }

        @Override
        public Optional<Map<String, Object>> awaitExecution(String executionId, Duration timeout) {
            return Optional.empty();
        }

        void watch(String orgId, String workflowId, Map<String, Object> params) {
            bindings.add(new TriggerBinding(orgId, workflowId, 1, params));
        }
    }
}
