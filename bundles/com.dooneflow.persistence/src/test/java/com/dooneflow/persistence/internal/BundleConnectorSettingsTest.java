package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.SettingsEntry;
import com.dooneflow.testing.contract.ConnectorSettingsContract;

/**
 * The settings a bundle gets are its own: the namespace is the calling bundle's symbolic name, so two connectors
 * in one organization see disjoint entries and neither reaches the other's secrets, by id, by name or with a
 * forged entry; an upgraded connector (same name, new version) keeps its settings.
 */
class BundleConnectorSettingsTest extends DatabaseTestBase {

    @TempDir
    Path keyDir;

    /** The {@link ConnectorSettingsContract} on H2: each namespace a bundle of that name over one store. */
    @Nested
    class OnH2 extends ConnectorSettingsContract {
        private final SettingsStoreImpl store = store(DbKind.H2);

        @Override
        protected ConnectorSettings settingsOf(String namespace) {
            return settings(store, namespace, "1.0.0");
        }

        @Override
        protected String newOrganization() {
            return StoreFixtures.newOrganization(on(DbKind.H2));
        }
    }

    @Nested
    class OnPostgres extends ConnectorSettingsContract {
        private final SettingsStoreImpl store = store(DbKind.POSTGRES);

        @Override
        protected ConnectorSettings settingsOf(String namespace) {
            return settings(store, namespace, "1.0.0");
        }

        @Override
        protected String newOrganization() {
            return StoreFixtures.newOrganization(on(DbKind.POSTGRES));
        }
    }

    @OnBothDatabases
    void twoBundlesSeeDisjointSettings(DbKind kind) {
        SettingsStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        String twilioName = "com.dooneflow.connector.twilio." + UUID.randomUUID();
        ConnectorSettings twilio = settings(store, twilioName, "1.0.0");
        ConnectorSettings other = settings(store, "com.acme.connector." + UUID.randomUUID(), "1.0.0");

        SettingsEntry account = twilio.save(org, "default", Map.of("accountSid", "AC1"), Map.of("authToken", "tok"));
        SettingsEntry own = other.save(org, "default", Map.of("x", 1), Map.of());

        assertThat(account.connector()).isEqualTo(twilioName);
        assertThat(own.id()).as("the same name in another namespace is another entry").isNotEqualTo(account.id());
        assertThat(other.list(org)).extracting(SettingsEntry::id).containsExactly(own.id());
        assertThat(other.listAll()).extracting(SettingsEntry::id).containsExactly(own.id());
        assertThat(other.get(org, account.id())).isEmpty();
        assertThat(other.findByName(org, "default")).get().extracting(SettingsEntry::id).isEqualTo(own.id());
        assertThat(other.delete(org, account.id())).isFalse();
        assertThatThrownBy(() -> other.withLock(org, account.id(), locked -> locked.entry()))
                .isInstanceOf(NotFoundException.class);
        assertThat(twilio.get(org, account.id())).get().extracting(SettingsEntry::data)
                .isEqualTo(Map.of("accountSid", "AC1"));
    }

    @OnBothDatabases
    void aBundleCannotReachAnothersSecrets(DbKind kind) {
        SettingsStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        ConnectorSettings twilio = settings(store, "com.dooneflow.connector.twilio." + UUID.randomUUID(), "1.0.0");
        ConnectorSettings other = settings(store, "com.acme.connector." + UUID.randomUUID(), "1.0.0");
        SettingsEntry account = twilio.save(org, "default", Map.of(), Map.of("authToken", "tok"));

        assertThat(twilio.secret(account, "authToken")).contains("tok");
        assertThat(other.secret(account, "authToken")).as("an entry record read elsewhere").isEmpty();
        SettingsEntry forged = new SettingsEntry(account.id(), org, "anything", "default", Map.of(), null, 1,
                null, null);
        assertThat(other.secret(forged, "authToken")).as("a forged entry record").isEmpty();
        assertThat(other.save(org, "default", Map.of(), Map.of()).secretsSet()).isEmpty();
    }

    @OnBothDatabases
    void anUpgradedConnectorKeepsItsSettings(DbKind kind) {
        SettingsStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        String name = "com.dooneflow.connector.email." + UUID.randomUUID();
        SettingsEntry inbox = settings(store, name, "1.0.0").save(org, "inbox", Map.of("host", "imap.a.test"),
                Map.of("password", "pw"));

        ConnectorSettings upgraded = settings(store, name, "1.1.0");

        assertThat(upgraded.get(org, inbox.id())).isPresent();
        assertThat(upgraded.secret(inbox, "password")).contains("pw");
    }

    @Test
    void theNamespaceIsTheSymbolicNameOfACallingBundleThatHasOne() {
        assertThat(BundleConnectorSettings.namespaceOf(bundle("com.dooneflow.connector.twilio", "2.0.0")))
                .isEqualTo("com.dooneflow.connector.twilio");
        assertThatThrownBy(() -> BundleConnectorSettings.namespaceOf(bundle(null, "1.0.0")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BundleConnectorSettings.namespaceOf(bundle("a".repeat(101), "1.0.0")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at most 100");
    }

    private SettingsStoreImpl store(DbKind kind) {
        SecretVaultImpl vault = new SecretVaultImpl(db(kind), MasterKeys.load(MASTER_KEY, keyDir.resolve(kind + ".key")));
        return new SettingsStoreImpl(db(kind), vault);
    }

    private static ConnectorSettings settings(SettingsStoreImpl store, String symbolicName, String version) {
        return new BundleConnectorSettings(store, bundle(symbolicName, version));
    }

    /** A bundle as the framework describes it to a service factory: its name and version. */
    static Bundle bundle(String symbolicName, String version) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSymbolicName" -> symbolicName;
                    case "getVersion" -> Version.parseVersion(version);
                    case "toString" -> symbolicName + "_" + version;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
