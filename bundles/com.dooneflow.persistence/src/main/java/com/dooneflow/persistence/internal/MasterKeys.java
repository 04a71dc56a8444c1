package com.dooneflow.persistence.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's master keys: the key-encryption keys that wrap the data keys in the database, never stored there. They
 * come from {@code DOONEFLOW_MASTER_KEY} / {@code masterKey} (one key, or several separated by commas while a new
 * key is rolled out) and from every line of the key file. Without any key, one is generated into the key file
 * (owner-only permissions). A key's id is derived from the key, so a data key's {@code master_key_id} names its key;
 * a key id this node does not know makes it read the key file again, so a key added there needs no restart.
 */
final class MasterKeys {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
    private static final long RELOAD_NANOS = 1_000_000_000L;
    /** Base64 of 32 bytes. */
    private static final int BARE_KEY_CHARS = 44;

    private final Path file;
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final boolean configured;
    private volatile String preferredId;
    private volatile long lastReload = System.nanoTime();

    private MasterKeys(Path file, boolean configured) {
        this.file = file;
        this.configured = configured;
    }

    static MasterKeys load(String configuredKeys, Path file) {
        MasterKeys mk = new MasterKeys(file, configuredKeys != null && !configuredKeys.isBlank());
        for (byte[] key : readFile(file)) {
            mk.preferredId = mk.add(key);
        }
        if (mk.configured) {
            String first = null;
            for (String key : configuredKeys.split(",")) {
                if (!key.isBlank()) {
                    String id = mk.add(decode(key));
                    first = first == null ? id : first;
                }
            }
            mk.preferredId = first;
        } else if (mk.preferredId == null) {
            mk.preferredId = mk.add(mk.append(Ids.randomBytes(32)));
            LOG.info("Generated a new master key in {} (owner-only permissions). Back it up: without it, stored "
                    + "secrets cannot be read. Set DOONEFLOW_MASTER_KEY to use your own key instead.", file);
        }
        return mk;
    }

    /** The key that wraps the first data key of a new keyring: the first configured key, else the file's newest. */
    String preferredId() {
        return preferredId;
    }

    /** The key with this id, reading the key file again (at most once a second) when it is not known yet. */
    byte[] key(String id) {
        byte[] key = keys.get(id);
        long now = System.nanoTime();
        if (key == null && now - lastReload > RELOAD_NANOS) {
            lastReload = now;
            readFile(file).forEach(this::add);
            key = keys.get(id);
        }
        return key;
    }

    /** The ids of the keys this node holds (ids only: they reveal nothing of the keys). */
    java.util.Set<String> ids() {
        return new java.util.TreeSet<>(keys.keySet());
    }

    /** Keeps a new master key in the key file (so this node still holds it after a restart) and prefers it. */
    String rotateTo(byte[] newKey) {
        String id = idOf(newKey);
        boolean inFile = readFile(file).stream().anyMatch(k -> idOf(k).equals(id));
        add(inFile ? newKey : append(newKey));
        preferredId = id;
        if (configured) {
            LOG.warn("The master key was rotated to {}; it is kept in {}. DOONEFLOW_MASTER_KEY (or masterKey) names "
                    + "other keys: set it to the new key on every node before their next start.", id, file);
        }
        return id;
    }

    static String idOf(byte[] key) {
        byte[] digest = Ids.sha256(concat("dooneflow-master-key-id".getBytes(StandardCharsets.UTF_8), key));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private String add(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a master key is 32 bytes (base64 of 32 random bytes)");
        }
        String id = idOf(key);
        keys.put(id, key);
        return id;
    }

    private byte[] append(byte[] key) {
        try {
            List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>(
                    List.of("# DooneFlow master keys, oldest first; the last one encrypts new secrets. Keep this file secret.",
                            "# One line per key: <key id>=<base64 key>."));
            lines.add(idOf(key) + "=" + Base64.getEncoder().encodeToString(key));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, lines);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<byte[]> readFile(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<byte[]> result = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String l = line.trim();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    // "<key id>=<base64>" as written here, or a bare base64 key an operator appended.
                    result.add(decode(l.length() == BARE_KEY_CHARS ? l : l.substring(l.indexOf('=') + 1)));
                }
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] decode(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.trim());
            if (key.length != 32) {
                throw new IllegalArgumentException("a master key is base64 of exactly 32 bytes, got " + key.length);
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid master key: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
