package com.dooneflow.persistence.internal;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.SecretUnavailableException;

/**
 * The cluster-wide keyring: data keys in {@code df_data_key}, each wrapped by a master key this node holds outside the
 * database ({@link MasterKeys}), and in {@code df_keyring} the one that encrypts new secrets. A node unwraps a data key
 * the first time it meets its id and keeps it in memory, so a key made active on another node is read here at once.
 * What cannot be read is logged once per key id, without a stack trace, and thrown as {@link SecretUnavailableException}.
 */
final class Keyring {

    private static final Logger LOG = LoggerFactory.getLogger(Keyring.class);

    private final MasterKeys masters;
    private final Map<String, byte[]> dataKeys = new ConcurrentHashMap<>();
    /** Key ids (and records) whose failure has been logged, so a node that cannot read logs it once, not per attempt. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    Keyring(MasterKeys masters) {
        this.masters = masters;
    }

    record DataKey(String id, byte[] key) {
    }

    MasterKeys masters() {
        return masters;
    }

    /**
     * Makes sure a data key is active: the first node to start on a database without one creates it, wrapped by its
     * preferred master key, and re-encrypts the values written before the keyring under it.
     */
    void open(EntityManager em) {
        if (em.find(KeyringEntity.class, KeyringEntity.ID).activeKeyId != null) {
            return;
        }
        KeyringEntity ring = em.find(KeyringEntity.class, KeyringEntity.ID);
        em.refresh(ring, LockModeType.PESSIMISTIC_WRITE);
        if (ring.activeKeyId == null) {
            DataKey created = create(em, masters.preferredId());
            ring.activeKeyId = created.id();
            ring.rotatedAt = OrganizationServiceImpl.now();
            int adopted = reencryptAll(em, created);
            LOG.info("Created the keyring's first data key {} (wrapped by master key {}); {} existing secrets "
                    + "re-encrypted under it", created.id(), masters.preferredId(), adopted);
        }
    }

    /** The active data key, holding the keyring shared so that no rotation retires it before this transaction ends. */
    DataKey activeForWriting(EntityManager em) {
        KeyringEntity ring = em.find(KeyringEntity.class, KeyringEntity.ID, LockModeType.PESSIMISTIC_READ);
        if (ring.activeKeyId == null) {
            throw new IllegalStateException("the keyring has no active data key");
        }
        return new DataKey(ring.activeKeyId, dataKey(em, ring.activeKeyId));
    }

    String activeId(EntityManager em) {
        return em.find(KeyringEntity.class, KeyringEntity.ID).activeKeyId;
    }

    /**
     * Null when this node can unwrap the active data key, else a short reason fit for the public health check (the
     * details are in the log, once).
     */
    String problem(EntityManager em) {
        String active = activeId(em);
        if (active == null) {
            return "the keyring has no active data key yet";
        }
        try {
            dataKey(em, active);
            return null;
        } catch (SecretUnavailableException e) {
            return "this node cannot unwrap the active data key " + active + " with its master key (see the log)";
        }
    }

    /** A data key by id: from memory, else loaded from the database and unwrapped with the master key it names. */
    byte[] dataKey(EntityManager em, String id) {
        byte[] cached = dataKeys.get(id);
        if (cached != null) {
            return cached;
        }
        DataKeyEntity row = em.find(DataKeyEntity.class, id);
        if (row == null) {
            throw unavailable(id, "data key " + id + " is not in the database (the value was copied from another "
                    + "installation, or the key was deleted)");
        }
        byte[] master = masters.key(row.masterKeyId);
        if (master == null) {
            throw unavailable(id, "data key " + id + " is wrapped by master key " + row.masterKeyId + ", which this "
                    + "node does not hold (it holds " + String.join(", ", masters.ids()) + "); give every node the "
                    + "cluster's master key (DOONEFLOW_MASTER_KEY or etc/dooneflow-master.key)");
        }
        byte[] key = SecretCipher.open(master, SecretCipher.dataKeyAad(id), row.wrappedKey);
        if (key == null) {
            throw unavailable(id, "data key " + id + " does not unwrap with master key " + row.masterKeyId
                    + ": its stored form was altered");
        }
        dataKeys.put(id, key);
        if (reported.remove(id)) {
            LOG.info("Data key {} is readable on this node again", id);
        }
        return key;
    }

    /** A master key for values written before the keyring ({@code df1}), which name it directly. */
    byte[] legacyMasterKey(String id) {
        byte[] key = masters.key(id);
        if (key == null) {
            throw unavailable(id, "values encrypted before the keyring with master key " + id + " need that key, "
                    + "which this node does not hold (it holds " + String.join(", ", masters.ids()) + ")");
        }
        return key;
    }

    /**
     * A new data key becomes active and every secret is re-encrypted under it, in the caller's transaction. The new
     * key is wrapped by the master key that wraps the active one, so one master key keeps serving the cluster.
     */
    RotationOutcome rotate(EntityManager em) {
        KeyringEntity ring = lockExclusive(em);
        String master = ring.activeKeyId == null ? masters.preferredId()
                : em.find(DataKeyEntity.class, ring.activeKeyId).masterKeyId;
        if (masters.key(master) == null) {
            throw new SecretUnavailableException("cannot rotate here: the active data key is wrapped by master key "
                    + master + ", which this node does not hold");
        }
        DataKey created = create(em, master);
        ring.activeKeyId = created.id();
        ring.rotatedAt = OrganizationServiceImpl.now();
        return new RotationOutcome(created.id(), reencryptAll(em, created));
    }

    /**
     * Re-wraps every data key under {@code newMaster}; a data key this node cannot unwrap stops the rotation (it
     * would be lost otherwise). The data keys themselves, and so every stored secret, stay as they are.
     */
    int rewrap(EntityManager em, String newMasterId, byte[] newMaster) {
        lockExclusive(em);
        List<DataKeyEntity> all = em.createQuery("select k from DataKeyEntity k", DataKeyEntity.class).getResultList();
        for (DataKeyEntity k : all) {
            byte[] key = dataKey(em, k.id);
            k.wrappedKey = SecretCipher.seal(newMaster, SecretCipher.dataKeyAad(k.id), key);
            k.masterKeyId = newMasterId;
        }
        return all.size();
    }

    record RotationOutcome(String keyId, int reencrypted) {
    }

    private KeyringEntity lockExclusive(EntityManager em) {
        return em.find(KeyringEntity.class, KeyringEntity.ID, LockModeType.PESSIMISTIC_WRITE);
    }

    private DataKey create(EntityManager em, String masterId) {
        String id = "dk-" + HexFormat.of().formatHex(Ids.randomBytes(8));
        byte[] key = Ids.randomBytes(32);
        em.persist(new DataKeyEntity(id, SecretCipher.seal(masters.key(masterId), SecretCipher.dataKeyAad(id), key),
                masterId, OrganizationServiceImpl.now()));
        em.flush();
        dataKeys.put(id, key);
        return new DataKey(id, key);
    }

    /** Every secret not yet under {@code target} is re-encrypted under it; one this node cannot read is left as is. */
    private int reencryptAll(EntityManager em, DataKey target) {
        List<SecretEntity> all = em.createQuery("select s from SecretEntity s", SecretEntity.class)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        int done = 0;
        int unreadable = 0;
        for (SecretEntity s : all) {
            if (target.id().equals(SecretCipher.Envelope.parse(s.ciphertext).keyId())) {
                continue;
            }
            byte[] aad = SecretCipher.aad(s.orgId, s.ownerId, s.field);
            byte[] plain;
            try {
                plain = open(em, s.ciphertext, aad);
            } catch (SecretUnavailableException e) {
                plain = null;
            }
            if (plain == null) {
                unreadable++;
                continue;
            }
            s.ciphertext = SecretCipher.Envelope.of(target.id(), SecretCipher.seal(target.key(), aad, plain));
            s.updatedAt = OrganizationServiceImpl.now();
            done++;
        }
        if (unreadable > 0) {
            LOG.warn("{} secrets could not be read on this node and keep their old key (see the messages above)",
                    unreadable);
        }
        return done;
    }

    /** The plaintext of a stored value, null when it does not open (altered, or not this record's). */
    byte[] open(EntityManager em, String stored, byte[] aad) {
        SecretCipher.Envelope env = SecretCipher.Envelope.parse(stored);
        return switch (env.version()) {
            case SecretCipher.VERSION -> SecretCipher.open(dataKey(em, env.keyId()), aad, env.sealed());
            case SecretCipher.LEGACY -> SecretCipher.open(legacyMasterKey(env.keyId()), aad, env.sealed());
            default -> null;
        };
    }

    /** Logs a problem once per {@code what} (a key id or a record), without a stack trace. */
    void reportOnce(String what, String message) {
        if (reported.add(what)) {
            LOG.error("Secrets cannot be read on this node: {}. This is logged once per key.", message);
        }
    }

    private SecretUnavailableException unavailable(String keyId, String reason) {
        reportOnce(keyId, reason);
        return new SecretUnavailableException("cannot be read on this node: " + reason);
    }
}
