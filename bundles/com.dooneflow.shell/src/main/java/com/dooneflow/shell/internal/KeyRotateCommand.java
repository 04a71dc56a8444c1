package com.dooneflow.shell.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.store.KeyRotation;
import com.dooneflow.api.audit.AuditLog;

/**
 * Rotates the keys. By default a new data key (in the database only, so every node of a cluster follows at once);
 * with {@code --master-key-file}, the master key that wraps the data keys. A master key is read from a file, never
 * taken on the command line: a command line ends up in the shell's history and in the thread names the log shows.
 */
@Command(scope = "dooneflow", name = "key-rotate",
        description = "Makes a new data key active and re-encrypts every stored secret under it; with "
                + "--master-key-file, re-wraps every data key under a new master key instead")
@Service
public class KeyRotateCommand implements Action {

    @Reference
    KeyRotation rotation;

    @Reference
    AuditLog audit;

    @Option(name = "--master-key-file", aliases = "--key-file",
            description = "A file holding the new master key, base64 of 32 bytes (every node must hold it too: see "
                    + "Running a cluster in the README)")
    String masterKeyFile;

    @Override
    public Object execute() throws IOException {
        if (masterKeyFile == null) {
            KeyRotation.RotationResult result = rotation.rotateDataKey();
            ConsoleAudit.record(audit, null, "data-key", result.keyId(), "rotate",
                    result.reencrypted() + " secrets re-encrypted");
            System.out.println("Active data key is now " + result.keyId() + "; " + result.reencrypted()
                    + " secrets re-encrypted. Every node reads it from the database: no file changes.");
            return null;
        }
        byte[] newKey;
        try {
            newKey = Base64.getDecoder().decode(Files.readString(Path.of(masterKeyFile), StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            newKey = new byte[0];
        }
        if (newKey.length != 32) {
            System.err.println("The key file must hold a master key: base64 of exactly 32 bytes.");
            return null;
        }
        KeyRotation.RotationResult result = rotation.rotateMasterKey(newKey);
        ConsoleAudit.record(audit, null, "master-key", result.keyId(), "rotate",
                result.reencrypted() + " data keys re-wrapped");
        System.out.println("Master key is now " + result.keyId() + "; " + result.reencrypted()
                + " data keys re-wrapped under it (no secret changed). This node keeps it in etc/dooneflow-master.key; "
                + "every other node must hold it as well.");
        return null;
    }
}
