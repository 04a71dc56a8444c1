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
 * Rotates the master key. A chosen key is read from a file, never taken on the command line: a command line ends
 * up in the shell's history and in the thread names the log shows.
 */
@Command(scope = "dooneflow", name = "key-rotate",
        description = "Makes a new master key active and re-encrypts every stored secret under it")
@Service
public class KeyRotateCommand implements Action {

    @Reference
    KeyRotation rotation;

    @Reference
    AuditLog audit;

    @Option(name = "--key-file", description = "A file holding the new key, base64 of 32 bytes (default: generate one)")
    String keyFile;

    @Override
    public Object execute() throws IOException {
        byte[] newKey = null;
        if (keyFile != null) {
            try {
                newKey = Base64.getDecoder().decode(Files.readString(Path.of(keyFile), StandardCharsets.US_ASCII).trim());
            } catch (IllegalArgumentException e) {
                newKey = new byte[0];
            }
            if (newKey.length != 32) {
                System.err.println("The key file must hold a master key: base64 of exactly 32 bytes.");
                return null;
            }
        }
        KeyRotation.RotationResult result = rotation.rotate(newKey);
        ConsoleAudit.record(audit, null, "master-key", result.keyId(), "rotate",
                result.reencrypted() + " secrets re-encrypted");
        System.out.println("Active master key is now " + result.keyId() + "; " + result.reencrypted()
                + " secrets re-encrypted. The key is stored in etc/dooneflow-master.key.");
        return null;
    }
}
