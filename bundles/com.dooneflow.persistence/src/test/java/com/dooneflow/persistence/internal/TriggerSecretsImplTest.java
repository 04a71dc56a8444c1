package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.TriggerSecrets;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.testing.MutableClock;

/** A trigger source reads a workflow's trigger secrets, and through this service nothing else of the vault. */
class TriggerSecretsImplTest extends DatabaseTestBase {

    @TempDir
    Path keyDir;

    @OnBothDatabases
    void givesAWorkflowsTriggerSecretsAndNothingElse(DbKind kind) {
        String org = newOrganization(on(kind));
        SecretVaultImpl vault = new SecretVaultImpl(db(kind), MasterKeys.load(MASTER_KEY, keyDir.resolve(kind + ".key")));
        WorkflowRow row = new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        vault.put(org, row.id(), WorkflowSecrets.WEBHOOK_KEY, "key-1");
        vault.put(org, row.id(), WorkflowSecrets.SIGNING_SECRET, "whsec_1");
        vault.put(org, row.id(), "actions[0].params.authToken", "action-secret");
        SettingsEntry entry = new SettingsStoreImpl(db(kind), vault).save(org, "com.acme.connector", "default",
                Map.of(), Map.of(WorkflowSecrets.WEBHOOK_KEY, "an entry's secret of the same name"));
        TriggerSecrets secrets = new TriggerSecretsImpl(new WorkflowStoreImpl(db(kind)), vault, Clock.systemUTC(), "webhook"::equals);

        assertThat(secrets.get(org, row.id(), WorkflowSecrets.WEBHOOK_KEY)).contains("key-1");
        assertThat(secrets.get(org, row.id(), WorkflowSecrets.SIGNING_SECRET)).contains("whsec_1");
        assertThat(secrets.get(org, row.id(), "actions[0].params.authToken")).as("a secret action parameter")
                .isEmpty();
        assertThat(secrets.get(org, entry.id(), WorkflowSecrets.WEBHOOK_KEY)).as("a settings entry's id").isEmpty();
        assertThat(secrets.get(newOrganization(on(kind)), row.id(), WorkflowSecrets.WEBHOOK_KEY))
                .as("another organization").isEmpty();
    }

    @OnBothDatabases
    void acceptsTheReplacedKeyOnlyUntilTheGracePeriodEnds(DbKind kind) {
        String org = newOrganization(on(kind));
        SecretVaultImpl vault = new SecretVaultImpl(db(kind), MasterKeys.load(MASTER_KEY, keyDir.resolve(kind + "-g.key")));
        WorkflowRow row = new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        vault.put(org, row.id(), WorkflowSecrets.WEBHOOK_KEY, "new-key");
        vault.put(org, row.id(), WorkflowSecrets.PREVIOUS_WEBHOOK_KEY, "old-key");
        vault.put(org, row.id(), WorkflowSecrets.SIGNING_SECRET, "whsec_new");
        vault.put(org, row.id(), WorkflowSecrets.PREVIOUS_SIGNING_SECRET, "whsec_old");
        vault.put(org, row.id(), WorkflowSecrets.PREVIOUS_EXPIRES_AT,
                Long.toString(Instant.parse("2026-03-01T10:00:30Z").toEpochMilli()));
        TriggerSecrets secrets = new TriggerSecretsImpl(new WorkflowStoreImpl(db(kind)), vault, clock, "webhook"::equals);

        assertThat(secrets.accepted(org, row.id(), WorkflowSecrets.WEBHOOK_KEY)).containsExactly("new-key", "old-key");
        assertThat(secrets.accepted(org, row.id(), WorkflowSecrets.SIGNING_SECRET))
                .containsExactly("whsec_new", "whsec_old");
        assertThat(secrets.get(org, row.id(), WorkflowSecrets.PREVIOUS_WEBHOOK_KEY)).as("not a trigger field").isEmpty();
        assertThat(secrets.accepted(newOrganization(on(kind)), row.id(), WorkflowSecrets.WEBHOOK_KEY))
                .as("another organization").isEmpty();

        clock.set(Instant.parse("2026-03-01T10:00:30Z"));
        assertThat(secrets.accepted(org, row.id(), WorkflowSecrets.WEBHOOK_KEY)).containsExactly("new-key");
        assertThat(secrets.accepted(org, row.id(), WorkflowSecrets.SIGNING_SECRET)).containsExactly("whsec_new");
    }

    @OnBothDatabases
    void answersOnlyTheBundleThatProvidesTheWorkflowsTriggerType(DbKind kind) {
        String org = newOrganization(on(kind));
        SecretVaultImpl vault = new SecretVaultImpl(db(kind), MasterKeys.load(MASTER_KEY, keyDir.resolve(kind + "-b.key")));
        WorkflowRow row = new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        vault.put(org, row.id(), WorkflowSecrets.WEBHOOK_KEY, "key-1");
        vault.put(org, row.id(), WorkflowSecrets.SIGNING_SECRET, "whsec_1");
        TriggerSecrets acme = new TriggerSecretsImpl(new WorkflowStoreImpl(db(kind)), vault, Clock.systemUTC(),
                "acme.poll"::equals);

        assertThat(row.triggerType()).isEqualTo("webhook");
        assertThat(acme.get(org, row.id(), WorkflowSecrets.WEBHOOK_KEY)).as("another connector's trigger").isEmpty();
        assertThat(acme.accepted(org, row.id(), WorkflowSecrets.SIGNING_SECRET)).isEmpty();
    }

    @Test
    void aBundleProvidesATriggerTypeByItsDescriptorFileOrByItsTriggerSource() throws Exception {
        Bundle webhook = bundle(Map.of("OSGI-INF/dooneflow/types/webhook.json", new URL("file:/webhook.json")), null);
        Bundle acme = bundle(Map.of(), "acme.poll");
        Bundle other = bundle(Map.of("OSGI-INF/dooneflow/types/other.json", new URL("file:/other.json")), null);

        assertThat(TriggerSecretsImpl.providedBy(webhook).test("webhook")).isTrue();
        assertThat(TriggerSecretsImpl.providedBy(acme).test("acme.poll")).isTrue();
        assertThat(TriggerSecretsImpl.providedBy(acme).test("webhook")).isFalse();
        assertThat(TriggerSecretsImpl.providedBy(other).test("webhook")).isFalse();
        assertThat(TriggerSecretsImpl.providedBy(null).test("webhook")).as("no calling bundle").isFalse();
    }

    /** A bundle with these entries that registers a trigger source of {@code sourceType} (or none). */
    private static Bundle bundle(Map<String, URL> entries, String sourceType) {
        Dictionary<String, Object> properties = new Hashtable<>();
        if (sourceType != null) {
            properties.put(TriggerSource.TYPE, sourceType);
        }
        ServiceReference<?> source = (ServiceReference<?>) Proxy.newProxyInstance(
                TriggerSecretsImplTest.class.getClassLoader(), new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> "getProperty".equals(method.getName()) ? properties.get(args[0]) : null);
        return (Bundle) Proxy.newProxyInstance(TriggerSecretsImplTest.class.getClassLoader(),
                new Class<?>[] {Bundle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getEntry" -> entries.get(args[0]);
                    case "getRegisteredServices" -> sourceType == null ? null : new ServiceReference<?>[] {source};
                    default -> null;
                });
    }
}
