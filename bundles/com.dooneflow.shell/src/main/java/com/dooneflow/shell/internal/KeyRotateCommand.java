package com.dooneflow.shell.internal;

import java.util.Base64;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import com.dooneflow.api.SecretVault;

@Service
@Command(scope = "dooneflow", name = "key-rotate",
        description = "Makes a new master key active and re-encrypts every stored secret under it")
public class KeyRotateCommand implements Action {

    @Reference
    SecretVault vault;

    @Option(name = "--key", description = "Base64 of 32 bytes to use as the new key (default: generate one)")
    String key;

    @Override
    public Object execute() {
        byte[] newKey = key == null ? null : Base64.getDecoder().decode(key.trim());
        if (newKey != null && newKey.length != 32) {
            System.err.println("A master key is base64 of exactly 32 bytes.");
            return null;
        }
        SecretVault.RotationResult result = vault.rotate(newKey);
        System.out.println("Active master key is now " + result.keyId() + "; " + result.reencrypted()
                + " secrets re-encrypted. The key is stored in etc/dooneflow-master.key.");
        return null;
    }
}
