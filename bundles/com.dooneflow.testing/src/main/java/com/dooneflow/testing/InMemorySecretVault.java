package com.dooneflow.testing;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.dooneflow.api.store.SecretVault;

/**
 * Secrets by organization, owner record and field, in plain text (there is nothing to protect in a test).
 * As in the real vault, an empty or null value removes the secret. The vault is the core's; a connector's test
 * reaches its secrets through {@link InMemoryConnectorSettings}, and a trigger's through a
 * {@link com.dooneflow.api.TriggerSecrets} such as {@code vault::get}.
 */
public class InMemorySecretVault implements SecretVault {

    private record Key(String orgId, String ownerId, String field) {
    }

    private final Map<Key, String> secrets = new ConcurrentHashMap<>();

    @Override
    public void put(String orgId, String ownerId, String field, String plaintext) {
        Key key = new Key(orgId, ownerId, field);
        if (plaintext == null || plaintext.isEmpty()) {
            secrets.remove(key);
        } else {
            secrets.put(key, plaintext);
        }
    }

    @Override
    public Optional<String> get(String orgId, String ownerId, String field) {
        return Optional.ofNullable(secrets.get(new Key(orgId, ownerId, field)));
    }

    @Override
    public boolean isSet(String orgId, String ownerId, String field) {
        return secrets.containsKey(new Key(orgId, ownerId, field));
    }

    @Override
    public void deleteAll(String orgId, String ownerId) {
        secrets.keySet().removeIf(k -> k.orgId().equals(orgId) && k.ownerId().equals(ownerId));
    }

    @Override
    public String activeKeyId() {
        return "test-key-1";
    }

    /** The fields set for one owner record, sorted. */
    public java.util.Set<String> fieldsSet(String orgId, String ownerId) {
        TreeSet<String> fields = new TreeSet<>();
        secrets.keySet().stream().filter(k -> k.orgId().equals(orgId) && k.ownerId().equals(ownerId))
                .forEach(k -> fields.add(k.field()));
        return fields;
    }

    /** Every stored secret as {@code orgId/ownerId/field → plaintext}, for assertions. */
    public Map<String, String> all() {
        Map<String, String> out = new TreeMap<>();
        secrets.forEach((k, v) -> out.put(k.orgId() + "/" + k.ownerId() + "/" + k.field(), v));
        return out;
    }
}
