package com.dooneflow.api.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Rotates the vault's keys: an operator's act (the console's {@code dooneflow:key-rotate}), apart from the vault so
 * that reading and writing secrets never carries the power to re-key them all.
 * <p>
 * Secrets are encrypted with data keys kept in the database, wrapped by the master key that every node holds outside
 * it. Rotating the data key changes only the database, so every node follows at once; rotating the master key
 * re-wraps the data keys, and every node must hold the new master key before it is used.
 */
@ProviderType
public interface KeyRotation {

    /**
     * Makes a new data key active and re-encrypts every stored secret under it.
     *
     * @return the new data key's id and how many secrets were re-encrypted
     * @since 1.3
     */
    RotationResult rotateDataKey();

    /**
     * Re-wraps every data key under a new master key (32 bytes), which this node keeps in its key file. Other nodes
     * must already hold the new key (or read it from their key file) to keep reading secrets.
     *
     * @return the new master key's id and how many data keys were re-wrapped
     * @since 1.3
     */
    RotationResult rotateMasterKey(byte[] newMasterKey);

    /**
     * Rotates the data key when {@code newKey} is null, else the master key to {@code newKey}.
     *
     * @deprecated use {@link #rotateDataKey()} or {@link #rotateMasterKey(byte[])}
     */
    @Deprecated
    default RotationResult rotate(byte[] newKey) {
        return newKey == null ? rotateDataKey() : rotateMasterKey(newKey);
    }

    /** The new key's id and how many items (secrets, or data keys) were re-encrypted under it. */
    record RotationResult(String keyId, int reencrypted) {
    }
}
