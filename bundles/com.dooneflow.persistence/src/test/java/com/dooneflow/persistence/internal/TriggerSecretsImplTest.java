package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.SettingsEntry;
import com.dooneflow.api.TriggerSecrets;
import com.dooneflow.api.WorkflowSecrets;
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
        TriggerSecrets secrets = new TriggerSecretsImpl(new WorkflowStoreImpl(db(kind)), vault);

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
        TriggerSecrets secrets = new TriggerSecretsImpl(new WorkflowStoreImpl(db(kind)), vault, clock);

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
}
