package com.dooneflow.persistence.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh random 96-bit nonce each time, as {@code base64(nonce ‖ ciphertext ‖ tag)}, and the
 * envelope a stored secret has: {@code df2:<data key id>:<sealed>}. Values written before the keyring have
 * {@code df1:<master key id>:<sealed>} (sealed directly with a master key); they are still read. A secret's AAD
 * names organization, owner record and field, so a value copied elsewhere fails.
 */
final class SecretCipher {

    /** Sealed with a data key of the keyring. */
    static final String VERSION = "df2";
    /** Sealed directly with a master key, before the keyring. */
    static final String LEGACY = "df1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private SecretCipher() {
    }

    /** A stored value's parts; {@code version} is empty when the value has no known format. */
    record Envelope(String version, String keyId, String sealed) {
        static Envelope parse(String stored) {
            String[] parts = stored.split(":", 3);
            if (parts.length != 3 || !(VERSION.equals(parts[0]) || LEGACY.equals(parts[0]))) {
                return new Envelope("", "", "");
            }
            return new Envelope(parts[0], parts[1], parts[2]);
        }

        static String of(String keyId, String sealed) {
            return VERSION + ":" + keyId + ":" + sealed;
        }
    }

    static String seal(byte[] key, byte[] aad, byte[] plaintext) {
        try {
            byte[] nonce = Ids.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext);
            return Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext, or null when the value does not open with this key and AAD (altered, or not ours). */
    static byte[] open(byte[] key, byte[] aad, String sealed) {
        try {
            byte[] blob = Base64.getDecoder().decode(sealed);
            if (blob.length < NONCE_BYTES + TAG_BITS / 8) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, blob, 0, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(blob, NONCE_BYTES, blob.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Length-prefixed parts, so no two (org, owner, field) triples share an AAD. */
    static byte[] aad(String orgId, String ownerId, String field) {
        StringBuilder sb = new StringBuilder("dooneflow-secret");
        for (String part : new String[] {orgId, ownerId, field}) {
            sb.append('|').append(part.length()).append(':').append(part);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A wrapped data key is bound to its id: copied to another id, it does not unwrap. */
    static byte[] dataKeyAad(String dataKeyId) {
        return ("dooneflow-data-key|" + dataKeyId).getBytes(StandardCharsets.UTF_8);
    }
}
