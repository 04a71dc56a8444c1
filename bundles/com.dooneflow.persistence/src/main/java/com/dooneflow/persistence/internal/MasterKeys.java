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
 * The master keys. The configured key ({@code DOONEFLOW_MASTER_KEY} / {@code masterKey}) is the active one
 * when set; otherwise the newest key of the key file is. Every key of the file stays usable for reading, so
 * values written before a rotation keep decrypting. Without any key, one is generated into the key file
 * (owner-only permissions). A key's id is derived from the key, so an id in a stored value names its key.
 */
final class MasterKeys {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

    private final Path file;
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final boolean configured;
    private volatile String activeId;

    private MasterKeys(Path file, boolean configured) {
        this.file = file;
        this.configured = configured;
    }

    static MasterKeys load(String configuredKey, Path file) {
        MasterKeys mk = new MasterKeys(file, configuredKey != null);
        for (byte[] key : readFile(file)) {
            mk.activeId = mk.add(key);
        }
        if (configuredKey != null) {
            mk.activeId = mk.add(decode(configuredKey));
        } else if (mk.activeId == null) {
            mk.activeId = mk.add(mk.append(Ids.randomBytes(32)));
            LOG.info("Generated a new master key in {} (owner-only permissions). Back it up: without it, stored "
                    + "secrets cannot be read. Set DOONEFLOW_MASTER_KEY to use your own key instead.", file);
        }
        return mk;
    }

    String activeId() {
        return activeId;
    }

    byte[] active() {
        return keys.get(activeId);
    }

    byte[] key(String id) {
        return keys.get(id);
    }

    /** Stores a new key in the key file and makes it the active one. */
    String rotateTo(byte[] newKey) {
        String id = add(append(newKey));
        activeId = id;
        if (configured) {
            LOG.warn("The master key was rotated; the new key is in {}. DOONEFLOW_MASTER_KEY (or masterKey) still "
                    + "names the previous key: set it to the new key before the next start.", file);
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
                    result.add(decode(l.substring(l.indexOf('=') + 1)));
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
