package com.dooneflow.api.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.SettingsEntry;

/**
 * {@link ConnectorSettings} over the {@link SettingsStore} for one namespace, fixed when it is made: the core
 * makes one per calling bundle (and the test kit one per fake connector), so no call can name another namespace.
 */
public class NamespacedSettings implements ConnectorSettings {

    private final SettingsStore store;
    private final String namespace;

    public NamespacedSettings(SettingsStore store, String namespace) {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a settings namespace is required");
        }
        this.store = store;
        this.namespace = namespace;
    }

    /** The namespace this instance reads and writes (the {@code connector} of its entries). */
    public String namespace() {
        return namespace;
    }

    @Override
    public SettingsEntry save(String orgId, String name, Map<String, Object> data, Map<String, String> secrets) {
        return store.save(orgId, namespace, name, data, secrets);
    }

    @Override
    public SettingsEntry create(String orgId, String name, Map<String, Object> data, Map<String, String> secrets) {
        return store.create(orgId, namespace, name, data, secrets);
    }

    @Override
    public Optional<SettingsEntry> get(String orgId, String id) {
        return store.get(orgId, namespace, id);
    }

    @Override
    public Optional<SettingsEntry> findByName(String orgId, String name) {
        return store.findByName(orgId, namespace, name);
    }

    @Override
    public List<SettingsEntry> list(String orgId) {
        return store.list(orgId, namespace);
    }

    @Override
    public List<SettingsEntry> listAll() {
        return store.listAll(namespace);
    }

    @Override
    public boolean delete(String orgId, String id) {
        return store.delete(orgId, namespace, id);
    }

    /**
     * Looks the entry up again in this namespace first: a {@link SettingsEntry} is a plain record anyone can make,
     * so one naming another connector's entry must not open its secrets.
     */
    @Override
    public Optional<String> secret(SettingsEntry entry, String field) {
        if (entry == null) {
            return Optional.empty();
        }
        return store.get(entry.organizationId(), namespace, entry.id()).flatMap(own -> store.secret(own, field));
    }

    @Override
    public <T> T withLock(String orgId, String id, Function<LockedEntry, T> work) {
        return store.withLock(orgId, namespace, id, work);
    }
}
