package com.dooneflow.persistence.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM envelopes: {@code df1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>}, a fresh random 96-bit nonce
 * each time, and AAD naming organization, owner record and field, so a value copied elsewhere fails.
 */
final class SecretCipher {

    static final String VERSION = "df1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKeys keys;

    SecretCipher(MasterKeys keys) {
        this.keys = keys;
    }

    String encrypt(String orgId, String ownerId, String field, String plaintext) {
        String keyId = keys.activeId();
        return encrypt(keyId, keys.key(keyId), aad(orgId, ownerId, field), plaintext);
    }

    String decrypt(String orgId, String ownerId, String field, String envelope) {
        String[] parts = envelope.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SecretUnreadableException("unknown secret format");
        }
        byte[] key = keys.key(parts[1]);
        if (key == null) {
            throw new SecretUnreadableException("the master key " + parts[1] + " that encrypted this secret is not available");
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[2]);
            if (blob.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SecretUnreadableException("secret is truncated");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, blob, 0, NONCE_BYTES));
            cipher.updateAAD(aad(orgId, ownerId, field));
            return new String(cipher.doFinal(blob, NONCE_BYTES, blob.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadableException("secret does not decrypt: it was altered or belongs to another record");
        }
    }

    String keyIdOf(String envelope) {
        String[] parts = envelope.split(":", 3);
        return parts.length == 3 ? parts[1] : "";
    }

    static String encrypt(String keyId, byte[] key, byte[] aad, String plaintext) {
        try {
            byte[] nonce = Ids.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] blob = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(blob);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
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

    /** A stored secret that cannot be read; the message never contains secret material. */
    static final class SecretUnreadableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SecretUnreadableException(String message) {
            super(message);
        }
    }
}
