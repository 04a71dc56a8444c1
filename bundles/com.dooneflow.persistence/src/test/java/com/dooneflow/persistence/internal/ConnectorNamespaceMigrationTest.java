package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.ConnectorSettings;

import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Integrations stored before connectors' settings were scoped to their bundle: the platform's connectors kept them
 * under short names, and the migration moves them to the bundles' symbolic names, where the same connectors now
 * find them with their secrets. Other namespaces are left alone. It is run again over rows written the old way.
 */
class ConnectorNamespaceMigrationTest extends DatabaseTestBase {

    @TempDir
    Path keyDir;

    @OnBothDatabases
    void theShortNamesMoveToTheConnectorsBundlesWithTheirSecrets(DbKind kind) {
        String org = newOrganization(on(kind));
        SecretVaultImpl vault = new SecretVaultImpl(db(kind), MasterKeys.load(MASTER_KEY, keyDir.resolve(kind + ".key")));
        String twilio = legacy(kind, org, "twilio", "default");
        String salesforce = legacy(kind, org, "salesforce", "Production");
        String email = legacy(kind, org, "email", "inbox");
        String other = legacy(kind, org, "com.acme.connector", "mine");
        vault.put(org, twilio, "authToken", "tok");

        rerunMigration(kind);

        assertThat(connector(kind, twilio)).isEqualTo("com.dooneflow.connector.twilio");
        assertThat(connector(kind, salesforce)).isEqualTo("com.dooneflow.connector.salesforce");
        assertThat(connector(kind, email)).isEqualTo("com.dooneflow.connector.email");
        assertThat(connector(kind, other)).isEqualTo("com.acme.connector");
        ConnectorSettings asTwilio = new BundleConnectorSettings(new SettingsStoreImpl(db(kind), vault),
                BundleConnectorSettingsTest.bundle("com.dooneflow.connector.twilio", "0.1.0"));
        assertThat(asTwilio.findByName(org, "default")).get()
                .satisfies(e -> assertThat(asTwilio.secret(e, "authToken")).contains("tok"));
    }

    private String legacy(DbKind kind, String org, String connector, String name) {
        String id = newId();
        Timestamp now = Timestamp.from(Instant.now());
        on(kind).update("insert into df_settings (id, org_id, connector, name, data, version, created_at, updated_at) "
                + "values (?, ?, ?, ?, '{}', 1, ?, ?)", id, org, connector, name, now, now);
        return id;
    }

    private void rerunMigration(DbKind kind) {
        on(kind).update("delete from databasechangelog where id = '110-connector-namespaces'");
        Migrations.migrateIfChanged(db(kind).dataSource(), new ClassLoaderResourceAccessor(getClass().getClassLoader()));
    }

    private String connector(DbKind kind, String id) {
        Map<String, Object> row = on(kind).queryRow("select connector from df_settings where id = ?", id);
        return (String) row.get("connector");
    }
}
