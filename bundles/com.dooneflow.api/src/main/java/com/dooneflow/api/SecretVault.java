package com.dooneflow.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypted storage for secrets (AES-256-GCM, key version in the stored value, AAD binding it to
 * organization + owner record + field). Plaintext leaves only through {@link #get}; it is never logged.
 */
@ProviderType
public interface SecretVault {

    /** Stores (or replaces) a secret; an empty or null value removes it. */
    void put(String orgId, String ownerId, String field, String plaintext);

    Optional<String> get(String orgId, String ownerId, String field);

    boolean isSet(String orgId, String ownerId, String field);

    /** Removes every secret of an owner record (when the record is deleted). */
    void deleteAll(String orgId, String ownerId);

    /** Id of the key new secrets are encrypted with. */
    String activeKeyId();

    /**
     * Makes a new master key active and re-encrypts every stored secret under it.
     *
     * @param newKey 32 bytes, or null to generate one
     * @return how many secrets were re-encrypted, and the new key id
     */
    RotationResult rotate(byte[] newKey);

    record RotationResult(String keyId, int reencrypted) {
    }
}
