package com.dooneflow.persistence.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import com.dooneflow.persistence.internal.TestDatabases.TestDatabase;

/**
 * One H2 and one PostgreSQL database per test class, opened on first use and dropped after the class.
 * Tests keep out of each other's way with fresh ids; the few that need an empty table wipe it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTestBase {

    /** The master key of every vault the tests make: the keyring in a test database is wrapped by it. */
    protected static final String MASTER_KEY = java.util.Base64.getEncoder().encodeToString(Ids.randomBytes(32));

    private final Map<DbKind, TestDatabase> databases = new EnumMap<>(DbKind.class);

    protected TestDatabase on(DbKind kind) {
        return databases.computeIfAbsent(kind, TestDatabases::create);
    }

    protected Database db(DbKind kind) {
        return on(kind).db;
    }

    protected static String newId() {
        return UUID.randomUUID().toString();
    }

    @AfterAll
    void dropDatabases() {
        List<RuntimeException> failures = new ArrayList<>();
        for (TestDatabase database : databases.values()) {
            try {
                database.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        databases.clear();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
