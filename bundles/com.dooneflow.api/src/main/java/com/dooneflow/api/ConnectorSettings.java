package com.dooneflow.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a connector keeps its per-organization settings without touching the database: named entries (the Twilio
 * account, a Salesforce connection, an IMAP inbox) with JSON-like data and secret fields kept encrypted apart.
 * <p>
 * The service is bundle-scoped: each bundle that gets it gets its own, bound to that bundle's settings and no
 * other's. There is no argument naming a connector: a connector cannot read, change or lock another connector's
 * entries or secrets, whatever it passes. Entries are named uniquely per organization; every write bumps
 * {@code version}.
 */
@ProviderType
public interface ConnectorSettings {

    /**
     * Creates the entry, or updates the one with the same name. In {@code secrets} a null value leaves that secret
     * unchanged and an empty string removes it.
     */
    SettingsEntry save(String orgId, String name, Map<String, Object> data, Map<String, String> secrets);

    /**
     * Creates a new entry; a {@link ConflictException} on {@code name} if the organization already has one of that
     * name (also when two creates race).
     */
    SettingsEntry create(String orgId, String name, Map<String, Object> data, Map<String, String> secrets);

    Optional<SettingsEntry> get(String orgId, String id);

    Optional<SettingsEntry> findByName(String orgId, String name);

    /** The organization's entries, ordered by name. */
    List<SettingsEntry> list(String orgId);

    /** Every entry in every organization, oldest first (pollers starting up). */
    List<SettingsEntry> listAll();

    boolean delete(String orgId, String id);

    /** A secret field of one of this connector's entries; empty for an entry that is not this connector's. */
    Optional<String> secret(SettingsEntry entry, String field);

    /**
     * Runs {@code work} holding a database row lock on the entry (cluster-wide), e.g. to refresh an OAuth token once
     * while other threads and nodes wait. Changes made through the handle commit with the lock; a
     * {@link NotFoundException} if the organization has no such entry of this connector.
     */
    <T> T withLock(String orgId, String id, Function<LockedEntry, T> work);

    /** The entry while its lock is held. */
    interface LockedEntry {
        SettingsEntry entry();

        Optional<String> secret(String field);

        void update(Map<String, Object> data, Map<String, String> secrets);

        /** A {@link ConflictException} on {@code name} if another entry of the connector has that name. */
        void rename(String name);
    }
}
