package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.uniqueTriggerType;
import static com.dooneflow.persistence.internal.StoreFixtures.withTriggerKey;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import com.dooneflow.api.store.WorkflowRow;

import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Workflows saved before webhook paths had one normal form: the migration disables those whose path is not in
 * normal form (one of them could take another organization's webhooks) and, of paths differing only in case,
 * keeps the oldest. It is run again over rows written the old way.
 */
class TriggerKeyMigrationTest extends DatabaseTestBase {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @OnBothDatabases
    void legacyPathsAreNormalisedAndNoTwoWorkflowsKeepOnePath(DbKind kind) {
        String type = uniqueTriggerType();
        String orgA = newOrganization(on(kind));
        String orgB = newOrganization(on(kind));
        WorkflowRow owner = legacy(kind, orgB, type, "B-Orders", T0);
        WorkflowRow caseTwin = legacy(kind, orgA, type, "b-orders", T0.plusSeconds(1));
        WorkflowRow trailing = legacy(kind, orgA, type, "b-orders/", T0.plusSeconds(2));
        WorkflowRow dotted = legacy(kind, orgA, type, "./a-leads", T0.plusSeconds(3));
        WorkflowRow query = legacy(kind, orgA, type, "a-leads?x", T0.plusSeconds(4));
        WorkflowRow fine = legacy(kind, orgA, type, "A/Leads.v2", T0.plusSeconds(5));

        rerunMigrations(kind);

        assertThat(state(kind, owner)).containsExactly(true, "b-orders");
        assertThat(state(kind, caseTwin)).containsExactly(false, null);
        assertThat(state(kind, trailing)).containsExactly(false, null);
        assertThat(state(kind, dotted)).containsExactly(false, null);
        assertThat(state(kind, query)).containsExactly(false, null);
        assertThat(state(kind, fine)).containsExactly(true, "a/leads.v2");
    }

    private WorkflowRow legacy(DbKind kind, String org, String type, String key, Instant at) {
        WorkflowRow row = withTriggerKey(workflow(org, true, type, at), key);
        new WorkflowStoreImpl(db(kind)).insert(row);
        return row;
    }

    private void rerunMigrations(DbKind kind) {
        on(kind).update("delete from databasechangelog where id like '06%-trigger-keys%'");
        Migrations.migrateIfChanged(db(kind).dataSource(), new ClassLoaderResourceAccessor(getClass().getClassLoader()));
    }

    private Object[] state(DbKind kind, WorkflowRow row) {
        Map<String, Object> r = on(kind).queryRow("select enabled, trigger_key from df_workflow where id = ?", row.id());
        return new Object[] {r.get("enabled"), r.get("trigger_key")};
    }
}
