package com.dooneflow.testing;

import java.util.List;
import java.util.Optional;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.store.NamespacedSettings;

/**
 * The {@link ConnectorSettings} a connector's bundle gets, in memory: bound to one namespace as the real service is
 * bound to the calling bundle's symbolic name, over an {@link InMemorySettingsStore} that keeps the store's contract
 * (unique names, secrets apart from data, row locks, rollback of a failed locked change). Several connectors in one
 * test share a store through {@link #of(InMemorySettingsStore, String)} and, as in the platform, see only their own
 * entries and secrets.
 */
public class InMemoryConnectorSettings extends NamespacedSettings {

    /** The namespace of a connector made without one. */
    public static final String DEFAULT_NAMESPACE = "com.example.connector";

    private final InMemorySettingsStore store;

    /** A connector of its own with a store of its own. */
    public InMemoryConnectorSettings() {
        this(new InMemorySettingsStore(), DEFAULT_NAMESPACE);
    }

    private InMemoryConnectorSettings(InMemorySettingsStore store, String namespace) {
        super(store, namespace);
        this.store = store;
    }

    /** The connector of {@code namespace} (its bundle's symbolic name) over a store other connectors may share. */
    public static InMemoryConnectorSettings of(InMemorySettingsStore store, String namespace) {
        return new InMemoryConnectorSettings(store, namespace);
    }

    /** This connector's entries in every organization, oldest first. */
    public List<SettingsEntry> entries() {
        return store.entries().stream().filter(e -> e.connector().equals(namespace())).toList();
    }

    /** A secret of one of this connector's entries, by entry id (empty once the entry is deleted). */
    public Optional<String> secret(String id, String field) {
        return entries().stream().filter(e -> e.id().equals(id)).findFirst()
                .flatMap(e -> store.secret(id, field));
    }

    /** Whether another thread holds the entry's lock right now (for tests of serialised work). */
    public boolean isLocked(String id) {
        return store.isLocked(id);
    }

    /** How many writes succeeded in the store (creates, saves, updates, renames), to show a refused input wrote nothing. */
    public int writes() {
        return store.writes();
    }

    /** The vault under the store: every secret of every connector sharing it, for assertions. */
    public InMemorySecretVault vault() {
        return store.vault();
    }

    /** The store under this connector, shared with the other connectors made over it. */
    public InMemorySettingsStore store() {
        return store;
    }
}
