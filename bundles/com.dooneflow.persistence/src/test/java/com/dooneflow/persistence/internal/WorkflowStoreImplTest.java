package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.DEFINITION;
import static com.dooneflow.persistence.internal.StoreFixtures.WEBHOOK;
import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.uniqueTriggerType;
import static com.dooneflow.persistence.internal.StoreFixtures.withTriggerKey;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.Page;
import com.dooneflow.api.store.WorkflowRow;

class WorkflowStoreImplTest extends DatabaseTestBase {

    private static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");
    private static final String DEFINITION_V2 =
            "{\"trigger\":{\"type\":\"webhook\",\"params\":{}},\"actions\":[{\"type\":\"log\",\"params\":{}}]}";

    private WorkflowStoreImpl store(DbKind kind) {
        return new WorkflowStoreImpl(db(kind));
    }

    private static WorkflowRow nextVersion(WorkflowRow row, String name, boolean enabled, String definition) {
        return new WorkflowRow(row.id(), row.organizationId(), name, enabled, row.version() + 1, row.triggerType(),
                row.triggerKey(), definition, row.createdAt(), row.updatedAt().plusSeconds(60));
    }

    private long versionRows(DbKind kind, String workflowId) {
        return on(kind).count("select count(*) from df_workflow_version where workflow_id = ?", workflowId);
    }

    @OnBothDatabases
    void everyCommittedChangeMovesTheChangeCounterAndAFailedOneDoesNot(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        long before = store.changes();

        WorkflowRow row = store.insert(workflow(org, true, now()));
        store.update(nextVersion(row, "second", false, DEFINITION_V2), true);
        assertThat(store.delete(org, row.id())).isTrue();
        assertThat(store.delete(org, row.id())).isFalse();
        assertThat(store.changes()).isEqualTo(before + 3);

        WorkflowRow keyed = store.insert(withTriggerKey(workflow(org, true, now()), "counted-" + newId()));
        long after = store.changes();
        assertThatThrownBy(() -> store.insert(withTriggerKey(workflow(org, true, now()), keyed.triggerKey())))
                .isInstanceOf(ConflictException.class);
        assertThat(store.changes()).isEqualTo(after);
    }

    @OnBothDatabases
    void insertedWorkflowReadsBackUnchangedWithItsFirstVersion(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        WorkflowRow row = workflow(org, true, now());

        WorkflowRow inserted = store.insert(row);

        assertThat(inserted).isEqualTo(row);
        assertThat(store.get(org, row.id())).contains(row);
        assertThat(store.definition(row.id(), 1)).contains(DEFINITION);
        assertThat(store.definition(row.id(), 2)).isEmpty();
        assertThat(store.definition(newId(), 1)).isEmpty();
        assertThat(versionRows(kind, row.id())).isEqualTo(1);
    }

    @OnBothDatabases
    void aNewDefinitionBecomesTheNextVersionAndTheOldOneStaysReadable(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        WorkflowRow v1 = store.insert(workflow(org, true, BASE));
        WorkflowRow v2 = nextVersion(v1, "renamed", true, DEFINITION_V2);

        store.update(v2, true);

        assertThat(store.get(org, v1.id())).contains(v2);
        assertThat(store.definition(v1.id(), 1)).contains(DEFINITION);
        assertThat(store.definition(v1.id(), 2)).contains(DEFINITION_V2);
        assertThat(versionRows(kind, v1.id())).isEqualTo(2);
    }

    @OnBothDatabases
    void anUpdateWithoutANewDefinitionSavesTheRowButAddsNoVersion(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        WorkflowRow v1 = store.insert(workflow(org, true, BASE));
        WorkflowRow v2 = nextVersion(v1, "second", true, DEFINITION_V2);
        store.update(v2, true);
        WorkflowRow switchedOff = new WorkflowRow(v2.id(), org, "switched off", false, 2, v2.triggerType(),
                v2.triggerKey(), v2.definition(), v2.createdAt(), v2.updatedAt().plusSeconds(60));

        store.update(switchedOff, false);

        assertThat(store.get(org, v1.id())).contains(switchedOff);
        assertThat(versionRows(kind, v1.id())).isEqualTo(2);
        assertThat(store.definition(v1.id(), 1)).contains(DEFINITION);
        assertThat(store.definition(v1.id(), 2)).contains(DEFINITION_V2);
        assertThat(store.definition(v1.id(), 3)).isEmpty();
    }

    @OnBothDatabases
    void aTriggerKeyTakenByAnotherWorkflowOfTheTypeIsAConflict(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        String otherOrg = newOrganization(on(kind));
        String path = "shared-" + newId();
        WorkflowRow first = store.insert(withTriggerKey(workflow(org, true, BASE), path));
        WorkflowRow second = withTriggerKey(workflow(otherOrg, true, BASE), path);

        assertThatThrownBy(() -> store.insert(second))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.field()).isEqualTo("trigger.params.path"));

        assertThat(store.get(otherOrg, second.id())).as("nothing of the refused insert is kept").isEmpty();
        assertThat(versionRows(kind, second.id())).isZero();
        assertThat(store.get(org, first.id())).contains(first);
    }

    @OnBothDatabases
    void theSameKeyUnderAnotherTriggerTypeIsNoConflict(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        String key = "key-" + newId();
        store.insert(withTriggerKey(workflow(org, true, WEBHOOK, BASE), key));

        WorkflowRow other = store.insert(withTriggerKey(workflow(org, true, uniqueTriggerType(), BASE), key));

        assertThat(store.get(org, other.id())).contains(other);
    }

    @OnBothDatabases
    void anUpdateOntoATakenTriggerKeyIsAConflictAndChangesNothing(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        WorkflowRow a = store.insert(workflow(org, true, BASE));
        WorkflowRow b = store.insert(workflow(org, true, BASE.plusSeconds(1)));
        WorkflowRow bOntoA = withTriggerKey(nextVersion(b, "b moved", true, DEFINITION_V2), a.triggerKey());

        assertThatThrownBy(() -> store.update(bOntoA, true)).isInstanceOf(ConflictException.class);

        assertThat(store.get(org, b.id())).contains(b);
        assertThat(store.definition(b.id(), 2)).isEmpty();
    }

    @OnBothDatabases
    void listPagesNewestFirstWithACursorUntilTheLastPage(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.insert(workflow(org, i % 2 == 0, BASE.plus(Duration.ofMinutes(i)))).id());
        }
        store.insert(workflow(newOrganization(on(kind)), true, BASE.plus(Duration.ofMinutes(2))));

        Page<WorkflowRow> first = store.list(org, 2, null);
        Page<WorkflowRow> second = store.list(org, 2, first.nextCursor());
        Page<WorkflowRow> third = store.list(org, 2, second.nextCursor());

        assertThat(first.items()).extracting(WorkflowRow::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.items()).extracting(WorkflowRow::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(second.nextCursor()).isNotNull();
        assertThat(third.items()).extracting(WorkflowRow::id).containsExactly(ids.get(0));
        assertThat(third.nextCursor()).isNull();
        assertThat(store.list(org, 5, null).nextCursor()).as("exactly one full page").isNull();
    }

    @OnBothDatabases
    void pagingVisitsWorkflowsCreatedAtTheSameInstantExactlyOnce(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.insert(workflow(org, true, BASE)).id());
        }

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<WorkflowRow> page = store.list(org, 2, cursor);
            page.items().forEach(w -> seen.add(w.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
    }

    @OnBothDatabases
    void aDeletedWorkflowIsGoneFromEveryReadAndFreesItsTriggerKey(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        String type = uniqueTriggerType();
        WorkflowRow doomed = store.insert(workflow(org, true, type, BASE));
        WorkflowRow kept = store.insert(workflow(org, true, type, BASE.plusSeconds(1)));

        assertThat(store.delete(org, doomed.id())).isTrue();

        assertThat(store.get(org, doomed.id())).isEmpty();
        assertThat(store.list(org, 50, null).items()).extracting(WorkflowRow::id).containsExactly(kept.id());
        assertThat(store.enabledWithTrigger(type)).extracting(WorkflowRow::id).containsExactly(kept.id());
        assertThat(store.definition(doomed.id(), 1)).as("executions keep reading their version").contains(DEFINITION);
        assertThat(store.delete(org, doomed.id())).as("deleting twice").isFalse();
        WorkflowRow successor = withTriggerKey(workflow(org, true, type, BASE.plusSeconds(2)), doomed.triggerKey());
        assertThat(store.insert(successor)).isEqualTo(successor);
        assertThat(store.get(org, successor.id())).contains(successor);
    }

    @OnBothDatabases
    void aDeletedWorkflowCannotBeUpdated(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        WorkflowRow row = store.insert(workflow(org, true, BASE));
        store.delete(org, row.id());

        assertThatThrownBy(() -> store.update(nextVersion(row, "resurrected", true, DEFINITION_V2), true))
                .isInstanceOf(com.dooneflow.api.NotFoundException.class);

        assertThat(store.get(org, row.id())).isEmpty();
        assertThat(store.definition(row.id(), 2)).isEmpty();
        assertThat(on(kind).queryString("select name from df_workflow where id = ?", row.id())).isEqualTo(row.name());
    }

    @OnBothDatabases
    void twoEditsFromTheSameVersionCannotBothWin(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        WorkflowRow row = store.insert(workflow(org, true, BASE));
        store.update(nextVersion(row, "first", true, DEFINITION_V2), true);

        assertThatThrownBy(() -> store.update(nextVersion(row, "second", true, DEFINITION_V2), true))
                .isInstanceOf(com.dooneflow.api.ConflictException.class)
                .hasMessageContaining("changed meanwhile");
        assertThat(store.get(org, row.id())).get().extracting(WorkflowRow::name).isEqualTo("first");
    }

    @OnBothDatabases
    void enabledWithTriggerFindsEnabledUndeletedWorkflowsOfTheTypeInEveryOrganization(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String type = uniqueTriggerType();
        String orgA = newOrganization(on(kind));
        String orgB = newOrganization(on(kind));
        WorkflowRow enabledA = store.insert(workflow(orgA, true, type, BASE));
        store.insert(workflow(orgA, false, type, BASE));
        WorkflowRow deletedA = store.insert(workflow(orgA, true, type, BASE));
        store.delete(orgA, deletedA.id());
        store.insert(workflow(orgA, true, uniqueTriggerType(), BASE));
        WorkflowRow enabledB = store.insert(workflow(orgB, true, type, BASE));

        List<WorkflowRow> found = store.enabledWithTrigger(type);

        assertThat(found).containsExactlyInAnyOrder(enabledA, enabledB);
        assertThat(store.enabledWithTrigger(uniqueTriggerType())).isEmpty();
    }

    @OnBothDatabases
    void anotherOrganizationCannotSeeChangeOrDeleteTheWorkflow(DbKind kind) {
        WorkflowStoreImpl store = store(kind);
        String org = newOrganization(on(kind));
        String stranger = newOrganization(on(kind));
        WorkflowRow row = store.insert(workflow(org, true, BASE));
        WorkflowRow hijack = new WorkflowRow(row.id(), stranger, "hijacked", false, 2, row.triggerType(),
                row.triggerKey(), DEFINITION_V2, row.createdAt(), row.updatedAt().plusSeconds(1));

        assertThat(store.get(stranger, row.id())).isEmpty();
        assertThat(store.list(stranger, 50, null).items()).isEmpty();
        assertThat(store.delete(stranger, row.id())).isFalse();
        assertThatThrownBy(() -> store.update(hijack, true)).isInstanceOf(com.dooneflow.api.NotFoundException.class);

        assertThat(store.get(org, row.id())).contains(row);
        assertThat(store.definition(row.id(), 2)).isEmpty();
    }
}
