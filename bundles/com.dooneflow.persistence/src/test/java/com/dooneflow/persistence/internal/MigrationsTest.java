package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * A start runs Liquibase only when the changelog differs from the one the database last went through, or
 * databasechangelog has changed since. A checksum that Liquibase's validation would refuse shows which of the two
 * happened: skipped, nothing complains; run, the migration fails.
 */
class MigrationsTest extends DatabaseTestBase {

    private static final String TAMPERED = "9:00000000000000000000000000000000";

    @OnBothDatabases
    void aMigratedDatabaseRecordsTheChangelogItWentThrough(DbKind kind) {
        assertThat(on(kind).queryString("select changelog_sha256 from df_schema_state where id = 1"))
                .isEqualTo(Migrations.fingerprint()).hasSize(64);
        assertThat(on(kind).count("select changesets from df_schema_state where id = 1"))
                .isEqualTo(on(kind).count("select count(*) from databasechangelog"));
    }

    @OnBothDatabases
    void aRestartWithTheSameChangelogSkipsLiquibaseAndAnotherChangelogRunsIt(DbKind kind) {
        String original = on(kind).queryString("select md5sum from databasechangelog where id = '180-schema-state'");
        on(kind).update("update databasechangelog set md5sum = ? where id = '180-schema-state'", TAMPERED);
        try {
            assertThatCode(() -> migrateIfChanged(kind)).doesNotThrowAnyException();

            on(kind).update("update df_schema_state set changelog_sha256 = 'an older changelog' where id = 1");
            assertThatThrownBy(() -> migrateIfChanged(kind))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("database migration failed");
        } finally {
            on(kind).update("update databasechangelog set md5sum = ? where id = '180-schema-state'", original);
        }
        migrateIfChanged(kind);
        assertThat(on(kind).queryString("select changelog_sha256 from df_schema_state where id = 1"))
                .isEqualTo(Migrations.fingerprint());
    }

    @OnBothDatabases
    void aLogThatNoLongerHoldsTheRecordedCountRunsLiquibase(DbKind kind) {
        on(kind).update("update databasechangelog set md5sum = ? where id = '180-schema-state'", TAMPERED);
        // One row fewer than recorded: the count no longer matches, so Liquibase runs (and meets the checksum).
        on(kind).update("update df_schema_state set changesets = changesets + 1 where id = 1");
        try {
            assertThatThrownBy(() -> migrateIfChanged(kind)).hasMessageContaining("database migration failed");
        } finally {
            on(kind).update("update databasechangelog set md5sum = null where id = '180-schema-state'");
        }
        migrateIfChanged(kind);
        assertThat(on(kind).count("select changesets from df_schema_state where id = 1"))
                .isEqualTo(on(kind).count("select count(*) from databasechangelog"));
    }

    private void migrateIfChanged(DbKind kind) {
        Migrations.migrateIfChanged(db(kind).dataSource(), new ClassLoaderResourceAccessor(getClass().getClassLoader()));
    }
}
