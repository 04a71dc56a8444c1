package com.dooneflow.persistence.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * This node's id, the same across restarts of one installation: {@code DOONEFLOW_NODE_ID} ({@code nodeId} in
 * {@code etc/com.dooneflow.cfg}), else an id generated at the first start and kept in {@code data/dooneflow-node-id}.
 * A restarted node so recognises its own unfinished claims and takes them back at once.
 */
final class NodeIdentity {

    static final String ENV = "DOONEFLOW_NODE_ID";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,59}");

    private NodeIdentity() {
    }

    static String resolve(Settings settings, Path dataDir) {
        String configured = settings.get("nodeId", ENV);
        if (configured != null) {
            if (!VALID.matcher(configured).matches()) {
                throw new IllegalArgumentException("nodeId (" + ENV + ") must be 1-60 letters, digits, '.', '_' or '-' "
                        + "starting with a letter or digit, not '" + configured + "'");
            }
            return configured;
        }
        Path file = dataDir.resolve("dooneflow-node-id");
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (VALID.matcher(kept).matches()) {
                    return kept;
                }
            }
            String generated = hostName() + "-" + Ids.randomToken(6).toLowerCase(Locale.ROOT);
            Files.createDirectories(dataDir);
            Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the node id in " + file, e);
        }
    }

    private static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "node";
        }
        String clean = name.replaceAll("[^A-Za-z0-9.-]", "-");
        clean = clean.isEmpty() || !Character.isLetterOrDigit(clean.charAt(0)) ? "node" + clean : clean;
        return clean.length() > 40 ? clean.substring(0, 40) : clean;
    }
}
