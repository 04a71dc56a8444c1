package com.dooneflow.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings.LockedEntry;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.store.SettingsStore;

/**
 * Settings entries in memory with the real store's contract: names unique per organization and connector (a
 * {@link ConflictException} on {@code name}, also when two creates race), data kept as JSON, secrets in a
 * {@link InMemorySecretVault} (null leaves one unchanged, an empty string removes it), a version bumped by every
 * write, and {@link #withLock} holding a per-entry lock as the database row lock does: {@code save} and
 * {@code delete} of that entry wait for it, and changes made through the handle are undone if the work throws.
 * <p>
 * This is the core's side, every connector's entries by namespace; a connector's test uses
 * {@link InMemoryConnectorSettings}, which sees one namespace of it as the connector's bundle would.
 */
public class InMemorySettingsStore implements SettingsStore {

    private record Row(String id, String orgId, String connector, String name, Map<String, Object> data,
                       long version, Instant createdAt, Instant updatedAt, long sequence) {
    }

    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger writes = new AtomicInteger();
    private final InMemorySecretVault vault = new InMemorySecretVault();

    @Override
    public SettingsEntry save(String orgId, String connector, String name, Map<String, Object> data,
                              Map<String, String> secrets) {
        checkName(name);
        while (true) {
            Optional<SettingsEntry> existing = findByName(orgId, connector, name);
            if (existing.isPresent()) {
                try {
                    return withLock(orgId, connector, existing.get().id(), locked -> {
                        locked.update(data, secrets);
                        return locked.entry();
                    });
                } catch (NotFoundException deletedMeanwhile) {
                    continue;
                }
            }
            synchronized (this) {
                if (findByName(orgId, connector, name).isEmpty()) {
                    return insert(orgId, connector, name, data, secrets);
                }
            }
        }
    }

    @Override
    public synchronized SettingsEntry create(String orgId, String connector, String name, Map<String, Object> data,
                                             Map<String, String> secrets) {
        checkName(name);
        if (findByName(orgId, connector, name).isPresent()) {
            throw nameConflict(name);
        }
        return insert(orgId, connector, name, data, secrets);
    }

    @Override
    public Optional<SettingsEntry> get(String orgId, String connector, String id) {
        return row(orgId, connector, id).map(this::entry);
    }

    @Override
    public Optional<SettingsEntry> findByName(String orgId, String connector, String name) {
        return rows.values().stream().filter(r -> r.orgId.equals(orgId) && r.connector.equals(connector)
                && r.name.equals(name)).findFirst().map(this::entry);
    }

    /** Ordered by name, as the real store's query. */
    @Override
    public List<SettingsEntry> list(String orgId, String connector) {
        return rows.values().stream().filter(r -> r.orgId.equals(orgId) && r.connector.equals(connector))
                .sorted(Comparator.comparing(Row::name)).map(this::entry).toList();
    }

    /** Oldest first, as the real store's query. */
    @Override
    public List<SettingsEntry> listAll(String connector) {
        return rows.values().stream().filter(r -> r.connector.equals(connector))
                .sorted(Comparator.comparing(Row::sequence)).map(this::entry).toList();
    }

    @Override
    public boolean delete(String orgId, String connector, String id) {
        if (row(orgId, connector, id).isEmpty()) {
            return false;
        }
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            synchronized (this) {
                if (row(orgId, connector, id).isEmpty()) {
                    return false;
                }
                rows.remove(id);
                vault.deleteAll(orgId, id);
                return true;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> secret(SettingsEntry entry, String field) {
        return vault.get(entry.organizationId(), entry.id(), field);
    }

    @Override
    public <T> T withLock(String orgId, String connector, String id, Function<LockedEntry, T> work) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Row before = row(orgId, connector, id).orElseThrow(() -> new NotFoundException("settings entry not found"));
            Map<String, String> secretsBefore = secretsOf(before);
            try {
                return work.apply(new Locked(id));
            } catch (RuntimeException | Error e) {
                rollBack(before, secretsBefore); // the transaction would not commit
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether another thread holds the entry's lock right now (for tests of serialised work). */
    public boolean isLocked(String id) {
        ReentrantLock lock = locks.get(id);
        return lock != null && lock.isLocked() && !lock.isHeldByCurrentThread();
    }

    /** The vault holding the secret fields, each under the entry's id. */
    public InMemorySecretVault vault() {
        return vault;
    }

    /** A secret as stored, by entry id (empty once the entry is deleted). */
    public Optional<String> secret(String id, String field) {
        Row r = rows.get(id);
        return r == null ? Optional.empty() : vault.get(r.orgId, id, field);
    }

    /** Every entry of every organization and connector, oldest first. */
    public List<SettingsEntry> entries() {
        return rows.values().stream().sorted(Comparator.comparing(Row::sequence)).map(this::entry).toList();
    }

    /** How many writes succeeded (creates, saves, updates and renames), to show that a refused input wrote nothing. */
    public int writes() {
        return writes.get();
    }

    private final class Locked implements LockedEntry {
        private final String id;

        Locked(String id) {
            this.id = id;
        }

        @Override
        public SettingsEntry entry() {
            return InMemorySettingsStore.this.entry(rows.get(id));
        }

        @Override
        public Optional<String> secret(String field) {
            return vault.get(rows.get(id).orgId, id, field);
        }

        @Override
        public void update(Map<String, Object> data, Map<String, String> secrets) {
            synchronized (InMemorySettingsStore.this) {
                Row r = rows.get(id);
                write(r, r.name, data, secrets);
            }
        }

        @Override
        public void rename(String name) {
            checkName(name);
            synchronized (InMemorySettingsStore.this) {
                Row r = rows.get(id);
                if (rows.values().stream().anyMatch(o -> !o.id.equals(id) && o.orgId.equals(r.orgId)
                        && o.connector.equals(r.connector) && o.name.equals(name))) {
                    throw nameConflict(name);
                }
                rows.put(id, new Row(id, r.orgId, r.connector, name, r.data, r.version + 1, r.createdAt, now(),
                        r.sequence));
                writes.incrementAndGet();
            }
        }
    }

    private SettingsEntry insert(String orgId, String connector, String name, Map<String, Object> data,
                                 Map<String, String> secrets) {
        Instant now = now();
        Row empty = new Row(java.util.UUID.randomUUID().toString(), orgId, connector, name, Map.of(), 0, now, now,
                sequence.incrementAndGet());
        return entry(write(empty, name, data, secrets));
    }

    private Row write(Row row, String name, Map<String, Object> data, Map<String, String> secrets) {
        Row updated = new Row(row.id, row.orgId, row.connector, name, JsonValues.copy(data), row.version + 1,
                row.createdAt, now(), row.sequence);
        rows.put(row.id, updated);
        if (secrets != null) {
            secrets.forEach((field, value) -> {
                if (value != null) {
                    vault.put(row.orgId, row.id, field, value);
                }
            });
        }
        writes.incrementAndGet();
        return updated;
    }

    private synchronized void rollBack(Row before, Map<String, String> secretsBefore) {
        rows.put(before.id, before);
        vault.deleteAll(before.orgId, before.id);
        secretsBefore.forEach((field, value) -> vault.put(before.orgId, before.id, field, value));
    }

    private Map<String, String> secretsOf(Row r) {
        Map<String, String> out = new java.util.HashMap<>();
        vault.fieldsSet(r.orgId, r.id).forEach(f -> vault.get(r.orgId, r.id, f).ifPresent(v -> out.put(f, v)));
        return out;
    }

    private Optional<Row> row(String orgId, String connector, String id) {
        Row r = id == null ? null : rows.get(id);
        return r != null && r.orgId.equals(orgId) && r.connector.equals(connector) ? Optional.of(r) : Optional.empty();
    }

    private SettingsEntry entry(Row r) {
        return new SettingsEntry(r.id, r.orgId, r.connector, r.name, JsonValues.copy(r.data),
                vault.fieldsSet(r.orgId, r.id), r.version, r.createdAt, r.updatedAt);
    }

    private ReentrantLock lock(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ValidationException.of("name", "is required, at most 200 characters");
        }
    }

    private static ConflictException nameConflict(String name) {
        return new ConflictException("name", "'" + name + "' is already the name of another entry");
    }
}
