package com.dooneflow.persistence.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings.LockedEntry;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.store.SettingsStore;
import com.dooneflow.api.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Connector settings in {@code df_settings}, by namespace; secret fields go to the vault in the same transaction.
 * Connectors see it only through {@link BundleConnectorSettings}, bound to their own namespace.
 */
@Component(service = SettingsStore.class)
public class SettingsStoreImpl implements SettingsStore {

    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final Database db;
    private final SecretVaultImpl vault;

    @Activate
    public SettingsStoreImpl(@Reference Database db, @Reference SecretVaultImpl vault) {
        this.db = db;
        this.vault = vault;
    }

    @Override
    public SettingsEntry save(String orgId, String connector, String name, Map<String, Object> data,
                              Map<String, String> secrets) {
        checkName(name);
        return db.tx(em -> {
            SettingsEntity e = em.createQuery("select s from SettingsEntity s where s.orgId = :o and s.connector = :c "
                            + "and s.name = :n", SettingsEntity.class)
                    .setParameter("o", orgId).setParameter("c", connector).setParameter("n", name)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst().orElse(null);
            if (e == null) {
                e = new SettingsEntity(Ids.uuid(), orgId, connector, name, OrganizationServiceImpl.now());
                e.version = 0;
                e.data = "{}";
                em.persist(e);
            }
            write(em, e, data, secrets);
            return toEntry(em, e);
        });
    }

    @Override
    public SettingsEntry create(String orgId, String connector, String name, Map<String, Object> data,
                               Map<String, String> secrets) {
        checkName(name);
        try {
            return db.tx(em -> {
                if (nameTaken(em, orgId, connector, name, null)) {
                    throw nameConflict(name);
                }
                SettingsEntity e = new SettingsEntity(Ids.uuid(), orgId, connector, name, OrganizationServiceImpl.now());
                e.version = 0;
                e.data = "{}";
                em.persist(e);
                write(em, e, data, secrets); // flushes: a racing create of the same name fails on the unique key
                return toEntry(em, e);
            });
        } catch (PersistenceException ex) {
            if (findByName(orgId, connector, name).isPresent()) {
                throw nameConflict(name);
            }
            throw ex;
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ValidationException.of("name", "is required, at most 200 characters");
        }
    }

    private static boolean nameTaken(EntityManager em, String orgId, String connector, String name, String exceptId) {
        return em.createQuery("select s.id from SettingsEntity s where s.orgId = :o and s.connector = :c "
                        + "and s.name = :n", String.class)
                .setParameter("o", orgId).setParameter("c", connector).setParameter("n", name)
                .getResultStream().anyMatch(id -> !id.equals(exceptId));
    }

    private static ConflictException nameConflict(String name) {
        return new ConflictException("name", "'" + name + "' is already the name of another entry");
    }

    @Override
    public Optional<SettingsEntry> get(String orgId, String connector, String id) {
        return db.tx(em -> find(em, orgId, connector, id, LockModeType.NONE).map(e -> toEntry(em, e)));
    }

    @Override
    public Optional<SettingsEntry> findByName(String orgId, String connector, String name) {
        return db.tx(em -> em.createQuery("select s from SettingsEntity s where s.orgId = :o and s.connector = :c "
                        + "and s.name = :n", SettingsEntity.class)
                .setParameter("o", orgId).setParameter("c", connector).setParameter("n", name)
                .getResultStream().findFirst().map(e -> toEntry(em, e)));
    }

    @Override
    public List<SettingsEntry> list(String orgId, String connector) {
        return db.tx(em -> em.createQuery("select s from SettingsEntity s where s.orgId = :o and s.connector = :c "
                        + "order by s.name", SettingsEntity.class)
                .setParameter("o", orgId).setParameter("c", connector).getResultList().stream()
                .map(e -> toEntry(em, e)).toList());
    }

    @Override
    public List<SettingsEntry> listAll(String connector) {
        return db.tx(em -> em.createQuery("select s from SettingsEntity s where s.connector = :c order by s.createdAt",
                        SettingsEntity.class)
                .setParameter("c", connector).getResultList().stream().map(e -> toEntry(em, e)).toList());
    }

    @Override
    public boolean delete(String orgId, String connector, String id) {
        return db.tx(em -> find(em, orgId, connector, id, LockModeType.PESSIMISTIC_WRITE).map(e -> {
            em.createQuery("delete from SecretEntity s where s.orgId = :o and s.ownerId = :w")
                    .setParameter("o", orgId).setParameter("w", id).executeUpdate();
            em.remove(e);
            return true;
        }).orElse(false));
    }

    @Override
    public Optional<String> secret(SettingsEntry entry, String field) {
        return vault.get(entry.organizationId(), entry.id(), field);
    }

    @Override
    public <T> T withLock(String orgId, String connector, String id, Function<LockedEntry, T> work) {
        return db.tx(em -> {
            SettingsEntity e = find(em, orgId, connector, id, LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow(() -> new NotFoundException("settings entry not found"));
            SettingsEntry[] current = {toEntry(em, e)};
            return work.apply(new LockedEntry() {
                @Override
                public SettingsEntry entry() {
                    return current[0];
                }

                @Override
                public Optional<String> secret(String field) {
                    return vault.get(em, orgId, id, field);
                }

                @Override
                public void update(Map<String, Object> data, Map<String, String> secrets) {
                    write(em, e, data, secrets);
                    current[0] = toEntry(em, e);
                }

                @Override
                public void rename(String name) {
                    checkName(name);
                    if (nameTaken(em, orgId, connector, name, id)) {
                        throw nameConflict(name);
                    }
                    e.name = name;
                    e.version++;
                    e.updatedAt = OrganizationServiceImpl.now();
                    try {
                        em.flush();
                    } catch (PersistenceException ex) {
                        // A racing rename or create took the name between the check and the flush.
                        throw nameConflict(name);
                    }
                    current[0] = toEntry(em, e);
                }
            });
        });
    }

    private void write(EntityManager em, SettingsEntity e, Map<String, Object> data, Map<String, String> secrets) {
        try {
            e.data = JSON.writeValueAsString(data == null ? Map.of() : data);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("settings data is not JSON-serialisable", ex);
        }
        e.version++;
        e.updatedAt = OrganizationServiceImpl.now();
        if (secrets != null) {
            secrets.forEach((field, value) -> {
                if (value != null) {
                    vault.put(em, e.orgId, e.id, field, value);
                }
            });
        }
        em.flush();
    }

    private static Optional<SettingsEntity> find(EntityManager em, String orgId, String connector, String id,
                                                 LockModeType lock) {
        if (id == null) {
            return Optional.empty();
        }
        SettingsEntity e = em.find(SettingsEntity.class, id, lock);
        return e != null && e.orgId.equals(orgId) && e.connector.equals(connector) ? Optional.of(e) : Optional.empty();
    }

    private SettingsEntry toEntry(EntityManager em, SettingsEntity e) {
        try {
            return new SettingsEntry(e.id, e.orgId, e.connector, e.name, JSON.readValue(e.data, MAP),
                    vault.fieldsSet(em, e.orgId, e.id), e.version, e.createdAt, e.updatedAt);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("settings entry " + e.id + " holds invalid JSON", ex);
        }
    }
}
