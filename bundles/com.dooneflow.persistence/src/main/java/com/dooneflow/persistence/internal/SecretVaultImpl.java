package com.dooneflow.persistence.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.persistence.EntityManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.store.KeyRotation;
import com.dooneflow.api.store.SecretVault;

/**
 * The vault over {@code df_secret}; see {@link SecretCipher} for the envelope and {@link MasterKeys} for keys. It is
 * also the {@link KeyRotation} service (one key state), registered under that interface apart from the vault's.
 */
@Component(service = {SecretVault.class, KeyRotation.class, SecretVaultImpl.class}, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.REQUIRE)
public class SecretVaultImpl implements SecretVault, KeyRotation {

    private static final Logger LOG = LoggerFactory.getLogger(SecretVaultImpl.class);
    static final String KEY_FILE = "dooneflow-master.key";

    private final Database db;
    private final MasterKeys keys;
    private final SecretCipher cipher;

    @Activate
    public SecretVaultImpl(@Reference Database db, Map<String, Object> config) {
        this(db, MasterKeys.load(Settings.of(config).get("masterKey", "DOONEFLOW_MASTER_KEY"),
                Path.of(System.getProperty("karaf.etc", "etc"), KEY_FILE)));
    }

    SecretVaultImpl(Database db, MasterKeys keys) {
        this.db = db;
        this.keys = keys;
        this.cipher = new SecretCipher(keys);
        LOG.info("Secret vault ready; active master key id {}", keys.activeId());
    }

    @Override
    public void put(String orgId, String ownerId, String field, String plaintext) {
        db.run(em -> put(em, orgId, ownerId, field, plaintext));
    }

    /** Within the caller's transaction (settings entries write their secrets atomically with their data). */
    void put(EntityManager em, String orgId, String ownerId, String field, String plaintext) {
        SecretEntity e = em.find(SecretEntity.class, new SecretEntity.Key(orgId, ownerId, field));
        if (plaintext == null || plaintext.isEmpty()) {
            if (e != null) {
                em.remove(e);
            }
        } else if (e == null) {
            em.persist(new SecretEntity(orgId, ownerId, field, cipher.encrypt(orgId, ownerId, field, plaintext),
                    OrganizationServiceImpl.now()));
        } else {
            e.ciphertext = cipher.encrypt(orgId, ownerId, field, plaintext);
            e.updatedAt = OrganizationServiceImpl.now();
        }
    }

    Optional<String> get(EntityManager em, String orgId, String ownerId, String field) {
        return Optional.ofNullable(em.find(SecretEntity.class, new SecretEntity.Key(orgId, ownerId, field)))
                .map(e -> cipher.decrypt(orgId, ownerId, field, e.ciphertext));
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
        return keys.activeId();
    }

    /**
     * Writes the new key to the key file first (so no committed value is ever under an unknown key), then
     * re-encrypts every secret in one transaction.
     */
    @Override
    public synchronized RotationResult rotate(byte[] newKey) {
        byte[] key = newKey != null ? newKey : Ids.randomBytes(32);
        String newId = keys.rotateTo(key);
        int count = db.tx(em -> {
            List<SecretEntity> all = em.createQuery("select s from SecretEntity s", SecretEntity.class)
                    .setLockMode(javax.persistence.LockModeType.PESSIMISTIC_WRITE).getResultList();
            int n = 0;
            for (SecretEntity s : all) {
                if (!newId.equals(cipher.keyIdOf(s.ciphertext))) {
                    String plain = cipher.decrypt(s.orgId, s.ownerId, s.field, s.ciphertext);
                    s.ciphertext = cipher.encrypt(s.orgId, s.ownerId, s.field, plain);
                    n++;
                }
            }
            return n;
        });
        LOG.info("Master key rotated to {}; {} secrets re-encrypted", newId, count);
        return new RotationResult(newId, count);
    }
}
