package com.dooneflow.persistence.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import javax.persistence.EntityManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.SecretUnavailableException;
import com.dooneflow.api.store.KeyRotation;
import com.dooneflow.api.store.SecretVault;

/**
 * The vault over {@code df_secret}: values sealed by {@link SecretCipher} with the {@link Keyring}'s active data key,
 * whose master keys come from {@link MasterKeys}. It is also the {@link KeyRotation} service (one key state),
 * registered under that interface apart from the vault's.
 */
@Component(service = {SecretVault.class, KeyRotation.class, SecretVaultImpl.class}, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.REQUIRE)
public class SecretVaultImpl implements SecretVault, KeyRotation {

    private static final Logger LOG = LoggerFactory.getLogger(SecretVaultImpl.class);
    static final String KEY_FILE = "dooneflow-master.key";

    private final Database db;
    private final Keyring keyring;

    @Activate
    public SecretVaultImpl(@Reference Database db, Map<String, Object> config) {
        this(db, MasterKeys.load(Settings.of(config).get("masterKey", "DOONEFLOW_MASTER_KEY"),
                Path.of(System.getProperty("karaf.etc", "etc"), KEY_FILE)));
    }

    SecretVaultImpl(Database db, MasterKeys keys) {
        this.db = db;
        this.keyring = new Keyring(keys);
        db.run(keyring::open);
        String problem = keyringProblem();
        if (problem == null) {
            LOG.info("Secret vault ready; active data key {}, master keys held here: {}", activeKeyId(), keys.ids());
        } else {
            LOG.error("This node cannot read the stored secrets: {}. Every node of a cluster needs the same master key "
                    + "(DOONEFLOW_MASTER_KEY or etc/dooneflow-master.key); /v1/health reports the keyring DOWN until "
                    + "this node holds it.", problem);
        }
    }

    @Override
    public void put(String orgId, String ownerId, String field, String plaintext) {
        db.run(em -> put(em, orgId, ownerId, field, plaintext));
    }

    /** Within the caller's transaction (settings entries write their secrets atomically with their data). */
    void put(EntityManager em, String orgId, String ownerId, String field, String plaintext) {
        if (plaintext == null || plaintext.isEmpty()) {
            SecretEntity e = em.find(SecretEntity.class, new SecretEntity.Key(orgId, ownerId, field));
            if (e != null) {
                em.remove(e);
            }
            return;
        }
        Keyring.DataKey key = keyring.activeForWriting(em);
        String sealed = SecretCipher.Envelope.of(key.id(), SecretCipher.seal(key.key(),
                SecretCipher.aad(orgId, ownerId, field), plaintext.getBytes(StandardCharsets.UTF_8)));
        SecretEntity e = em.find(SecretEntity.class, new SecretEntity.Key(orgId, ownerId, field));
        if (e == null) {
            em.persist(new SecretEntity(orgId, ownerId, field, sealed, OrganizationServiceImpl.now()));
        } else {
            e.ciphertext = sealed;
            e.updatedAt = OrganizationServiceImpl.now();
        }
    }

    Optional<String> get(EntityManager em, String orgId, String ownerId, String field) {
        SecretEntity e = em.find(SecretEntity.class, new SecretEntity.Key(orgId, ownerId, field));
        if (e == null) {
            return Optional.empty();
        }
        byte[] plain;
        try {
            plain = keyring.open(em, e.ciphertext, SecretCipher.aad(orgId, ownerId, field));
        } catch (SecretUnavailableException ex) {
            throw new SecretUnavailableException("The secret '" + field + "' " + ex.getMessage());
        }
        if (plain == null) {
            keyring.reportOnce(orgId + "/" + ownerId + "/" + field, "the secret '" + field + "' of record " + ownerId
                    + " (organization " + orgId + ") does not decrypt: it was altered or belongs to another record");
            throw new SecretUnavailableException("The secret '" + field + "' does not decrypt: it was altered or "
                    + "belongs to another record");
        }
        return Optional.of(new String(plain, StandardCharsets.UTF_8));
    }

    /** Names of the fields of an owner record that hold a secret. */
    java.util.Set<String> fieldsSet(EntityManager em, String orgId, String ownerId) {
        return new java.util.TreeSet<>(em.createQuery("select s.field from SecretEntity s where s.orgId = :o and s.ownerId = :w",
                String.class).setParameter("o", orgId).setParameter("w", ownerId).getResultList());
    }

    @Override
    public Optional<String> get(String orgId, String ownerId, String field) {
        return db.tx(em -> get(em, orgId, ownerId, field));
    }

    @Override
    public boolean isSet(String orgId, String ownerId, String field) {
        return db.tx(em -> em.find(SecretEntity.class, new SecretEntity.Key(orgId, ownerId, field)) != null);
    }

    @Override
    public void deleteAll(String orgId, String ownerId) {
        db.run(em -> em.createQuery("delete from SecretEntity s where s.orgId = :o and s.ownerId = :w")
                .setParameter("o", orgId).setParameter("w", ownerId).executeUpdate());
    }

    @Override
    public String activeKeyId() {
        return db.tx(keyring::activeId);
    }

    /** Null when this node can unwrap the active data key, else a short reason (for the health check). */
    String keyringProblem() {
        return db.tx(keyring::problem);
    }

    /** A new data key, in the database only: every node reads it from there the first time it meets its id. */
    @Override
    public synchronized RotationResult rotateDataKey() {
        Keyring.RotationOutcome outcome = db.tx(keyring::rotate);
        LOG.info("Data key rotated to {}; {} secrets re-encrypted", outcome.keyId(), outcome.reencrypted());
        return new RotationResult(outcome.keyId(), outcome.reencrypted());
    }

    /**
     * Keeps the new master key in this node's key file first (so no committed data key is ever wrapped by a key this
     * node could lose), then re-wraps every data key under it in one transaction.
     */
    @Override
    public synchronized RotationResult rotateMasterKey(byte[] newMasterKey) {
        if (newMasterKey == null || newMasterKey.length != 32) {
            throw new IllegalArgumentException("a master key is 32 bytes");
        }
        String id = keyring.masters().rotateTo(newMasterKey);
        int rewrapped = db.tx(em -> keyring.rewrap(em, id, newMasterKey));
        LOG.info("Master key rotated to {}; {} data keys re-wrapped. Every node must hold it now (see Running a "
                + "cluster); the stored secrets are unchanged", id, rewrapped);
        return new RotationResult(id, rewrapped);
    }
}
