package com.dooneflow.api.store;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypted storage for secrets (AES-256-GCM, key version in the stored value, AAD binding it to
 * organization + owner record + field). Plaintext leaves only through {@link #get}; it is never logged.
 * <p>
 * The core's service: it reads any owner record's secrets, so connectors do not get it. They reach their own
 * secrets through {@link com.dooneflow.api.ConnectorSettings} and a workflow's trigger secrets through
 * {@link com.dooneflow.api.TriggerSecrets}. Rotating keys is {@link KeyRotation}'s.
 */
@ProviderType
public interface SecretVault {

    /** Stores (or replaces) a secret; an empty or null value removes it. */
    void put(String orgId, String ownerId, String field, String plaintext);

    /**
     * The secret in clear, or empty when none is stored.
     *
     * @throws com.dooneflow.api.SecretUnavailableException when it is stored but this node cannot read it
     */
    Optional<String> get(String orgId, String ownerId, String field);

    boolean isSet(String orgId, String ownerId, String field);

    /** Removes every secret of an owner record (when the record is deleted). */
    void deleteAll(String orgId, String ownerId);

    /** Id of the data key new secrets are encrypted with (the same on every node of a cluster). */
    String activeKeyId();
}
