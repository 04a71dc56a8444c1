package com.dooneflow.api.store;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Rotates the vault's master key: an operator's act (the console's {@code dooneflow:key-rotate}), apart from the
 * vault so that reading and writing secrets never carries the power to re-key them all.
 */
@ProviderType
public interface KeyRotation {

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
