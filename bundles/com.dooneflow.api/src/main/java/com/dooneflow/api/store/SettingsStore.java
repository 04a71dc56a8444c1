package com.dooneflow.api.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings.LockedEntry;
import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.SettingsEntry;

/**
 * Every connector's settings, by organization and connector namespace: the core's side of
 * {@link ConnectorSettings}, which hands each bundle only its own namespace. Entries are named uniquely per
 * organization and connector; every write bumps {@code version}. Not for connectors: the namespace argument would
 * let one reach another's settings and secrets.
 */
@ProviderType
public interface SettingsStore {

    /**
     * Creates the entry, or updates the one with the same name. In {@code secrets} a null value leaves that
     * secret unchanged and an empty string removes it.
     */
    SettingsEntry save(String orgId, String connector, String name, Map<String, Object> data,
                       Map<String, String> secrets);

    /**
     * Creates a new entry; a {@link ConflictException} on {@code name} if the organization already has one of that
     * name for the connector (also when two creates race).
     */
    SettingsEntry create(String orgId, String connector, String name, Map<String, Object> data,
                         Map<String, String> secrets);

    Optional<SettingsEntry> get(String orgId, String connector, String id);

    Optional<SettingsEntry> findByName(String orgId, String connector, String name);

    List<SettingsEntry> list(String orgId, String connector);

    /** Every entry of a connector in every organization (pollers starting up). */
    List<SettingsEntry> listAll(String connector);

    boolean delete(String orgId, String connector, String id);

    Optional<String> secret(SettingsEntry entry, String field);

    /**
     * Runs {@code work} holding a database row lock on the entry (cluster-wide), e.g. to refresh an OAuth
     * token once while other threads and nodes wait. Changes made through the handle commit with the lock.
     */
    <T> T withLock(String orgId, String connector, String id, Function<LockedEntry, T> work);
}
