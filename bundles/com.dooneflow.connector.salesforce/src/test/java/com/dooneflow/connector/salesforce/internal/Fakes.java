package com.dooneflow.connector.salesforce.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.dooneflow.api.AddedMember;
import com.dooneflow.api.ConflictException;
import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.SettingsStore;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.StepJournal;

/** Hand-written stand-ins for the core services the connector uses. */
final class Fakes {

    static final String ORG = "org-1";
    static final Principal OWNER = Principal.user("u-owner", "owner@example.com", "t1", null);
    static final Principal MEMBER = Principal.user("u-member", "member@example.com", "t2", null);
    static final Principal STRANGER = Principal.user("u-stranger", "x@example.com", "t3", null);

    private Fakes() {
    }

    /**
     * Settings in memory, with the real store's contract: unique names per organization and connector, secrets
     * kept apart from data, and {@link #withLock} holding a per-entry lock (as the database row lock does).
     */
    static final class Store implements SettingsStore {
        private record Row(String id, String orgId, String connector, String name, Map<String, Object> data,
                           Map<String, String> secrets, long version, Instant createdAt) {
        }

        private final Map<String, Row> rows = new ConcurrentHashMap<>();
        private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

        @Override
        public synchronized SettingsEntry save(String orgId, String connector, String name, Map<String, Object> data,
                                               Map<String, String> secrets) {
            Row existing = rows.values().stream().filter(r -> r.orgId.equals(orgId) && r.connector.equals(connector)
                    && r.name.equals(name)).findFirst().orElse(null);
            Row row = existing == null
                    ? new Row(UUID.randomUUID().toString(), orgId, connector, name, Map.of(), Map.of(), 0, Instant.now())
                    : existing;
            return entry(write(row, data, secrets));
        }

        /** Atomic like the real store's unique key: of two racing creates of one name, one wins. */
        @Override
        public synchronized SettingsEntry create(String orgId, String connector, String name,
                                                 Map<String, Object> data, Map<String, String> secrets) {
            if (findByName(orgId, connector, name).isPresent()) {
                throw new ConflictException("name", "'" + name + "' is already the name of another entry");
            }
            Row row = new Row(UUID.randomUUID().toString(), orgId, connector, name, Map.of(), Map.of(), 0,
                    Instant.now());
            return entry(write(row, data, secrets));
        }

        private synchronized void rename(String id, String name) {
            Row r = rows.get(id);
            if (rows.values().stream().anyMatch(o -> !o.id.equals(id) && o.orgId.equals(r.orgId)
                    && o.connector.equals(r.connector) && o.name.equals(name))) {
                throw new ConflictException("name", "'" + name + "' is already the name of another entry");
            }
            rows.put(id, new Row(id, r.orgId, r.connector, name, r.data, r.secrets, r.version + 1, r.createdAt));
        }

        private Row write(Row row, Map<String, Object> data, Map<String, String> secrets) {
            Map<String, String> s = new HashMap<>(row.secrets);
            if (secrets != null) {
                secrets.forEach((k, v) -> {
                    if (v != null && v.isEmpty()) {
                        s.remove(k);
                    } else if (v != null) {
                        s.put(k, v);
                    }
                });
            }
            // Through JSON-like copies, as the real store keeps data as JSON text.
            Map<String, Object> d = data == null ? new LinkedHashMap<>() : copy(data);
            Row updated = new Row(row.id, row.orgId, row.connector, row.name, d, s, row.version + 1, row.createdAt);
            rows.put(row.id, updated);
            return updated;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> copy(Map<String, Object> data) {
            try {
                return Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(data), LinkedHashMap.class);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        private static SettingsEntry entry(Row r) {
            return new SettingsEntry(r.id, r.orgId, r.connector, r.name, r.data, Set.copyOf(r.secrets.keySet()),
                    r.version, r.createdAt, r.createdAt);
        }

        @Override
        public Optional<SettingsEntry> get(String orgId, String connector, String id) {
            Row r = id == null ? null : rows.get(id);
            return r != null && r.orgId.equals(orgId) && r.connector.equals(connector) ? Optional.of(entry(r))
                    : Optional.empty();
        }

        @Override
        public Optional<SettingsEntry> findByName(String orgId, String connector, String name) {
            return rows.values().stream().filter(r -> r.orgId.equals(orgId) && r.connector.equals(connector)
                    && r.name.equals(name)).findFirst().map(Store::entry);
        }

        @Override
        public List<SettingsEntry> list(String orgId, String connector) {
            return rows.values().stream().filter(r -> r.orgId.equals(orgId) && r.connector.equals(connector))
                    .sorted(java.util.Comparator.comparing(Row::name)).map(Store::entry).toList();
        }

        @Override
        public List<SettingsEntry> listAll(String connector) {
            return rows.values().stream().filter(r -> r.connector.equals(connector)).map(Store::entry).toList();
        }

        @Override
        public boolean delete(String orgId, String connector, String id) {
            return get(orgId, connector, id).map(e -> rows.remove(id) != null).orElse(false);
        }

        @Override
        public Optional<String> secret(SettingsEntry entry, String field) {
            Row r = rows.get(entry.id());
            return r == null ? Optional.empty() : Optional.ofNullable(r.secrets.get(field));
        }

        /** A secret as stored, for assertions. */
        Optional<String> secret(String id, String field) {
            return Optional.ofNullable(rows.get(id)).map(r -> r.secrets.get(field));
        }

        @Override
        public <T> T withLock(String orgId, String connector, String id, Function<LockedEntry, T> work) {
            if (get(orgId, connector, id).isEmpty()) {
                throw new NotFoundException("settings entry not found");
            }
            ReentrantLock lock = locks.computeIfAbsent(id, k -> new ReentrantLock());
            lock.lock();
            try {
                return work.apply(new LockedEntry() {
                    @Override
                    public SettingsEntry entry() {
                        return Store.entry(rows.get(id));
                    }

                    @Override
                    public Optional<String> secret(String field) {
                        return Optional.ofNullable(rows.get(id).secrets.get(field));
                    }

                    @Override
                    public void update(Map<String, Object> data, Map<String, String> secrets) {
                        write(rows.get(id), data, secrets);
                    }

                    @Override
                    public void rename(String name) {
                        Store.this.rename(id, name);
                    }
                });
            } finally {
                lock.unlock();
            }
        }
    }

    /** Organization "org-1" with an owner and a member; everyone else is a stranger. */
    static final class Organizations implements OrganizationService {
        @Override
        public Role requireRole(Principal caller, String orgId, boolean manage) {
            Role role = !ORG.equals(orgId) ? null : caller.equals(OWNER) ? Role.OWNER
                    : caller.equals(MEMBER) ? Role.MEMBER : null;
            if (role == null) {
                throw new NotFoundException("no organization " + orgId);
            }
            if (manage && !role.canManage()) {
                throw new ForbiddenException("only owners and admins may do this");
            }
            return role;
        }

        @Override
        public List<Organization> list(Principal caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization create(Principal caller, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization get(Principal caller, String orgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Organization rename(Principal caller, String orgId, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Member> members(Principal caller, String orgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AddedMember addMember(Principal caller, String orgId, String email, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Member changeRole(Principal caller, String orgId, String userId, Role role) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeMember(Principal caller, String orgId, String userId) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Events implements EventLog {
        final List<Event> recorded = new CopyOnWriteArrayList<>();

        @Override
        public Event record(String orgId, Event.Level level, String source, String message, Map<String, Object> details) {
            Event e = new Event(UUID.randomUUID().toString(), orgId, Instant.now(), level, source, message, details);
            recorded.add(e);
            return e;
        }

        @Override
        public Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor) {
            throw new UnsupportedOperationException();
        }
    }

    /** Step notes in memory. */
    static final class Journal implements StepJournal {
        final Map<String, Map<String, Object>> notes = new ConcurrentHashMap<>();

        @Override
        public void put(String executionId, int stepIndex, String key, Map<String, Object> value) {
            notes.put(executionId + "/" + stepIndex + "/" + key, Map.copyOf(value));
        }

        @Override
        public Optional<Map<String, Object>> get(String executionId, int stepIndex, String key) {
            return Optional.ofNullable(notes.get(executionId + "/" + stepIndex + "/" + key));
        }

        @Override
        public Map<Integer, Map<String, Map<String, Object>>> notes(String executionId) {
            Map<Integer, Map<String, Map<String, Object>>> out = new java.util.TreeMap<>();
            notes.forEach((k, v) -> {
                String[] parts = k.split("/", 3);
                if (parts[0].equals(executionId)) {
                    out.computeIfAbsent(Integer.parseInt(parts[1]), i -> new LinkedHashMap<>()).put(parts[2], v);
                }
            });
            return out;
        }
    }

    /** A clock tests can move forward. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** One run of a step; each context is its own execution unless given the id of an earlier one. */
    record Context(String organizationId, Map<String, Object> params, String executionId) implements ActionContext {
        Context(String organizationId, Map<String, Object> params) {
            this(organizationId, params, UUID.randomUUID().toString());
        }

        @Override
        public int stepIndex() {
            return 0;
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public String idempotencyKey() {
            return executionId + ":0";
        }

        @Override
        public Map<String, Object> variables() {
            return Map.of();
        }
    }

    static Map<String, Object> params(Object... pairs) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put((String) pairs[i], pairs[i + 1]);
        }
        return p;
    }

    static List<String> names(List<Map<String, Object>> views) {
        List<String> out = new ArrayList<>();
        views.forEach(v -> out.add(String.valueOf(v.get("name"))));
        return out;
    }
}
