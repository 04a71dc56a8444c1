package com.dooneflow.persistence.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.persistence.internal.TestDatabases.TestDatabase;

/** Organizations and workflow rows for the workflow and execution store tests. */
final class StoreFixtures {

    static final String WEBHOOK = "webhook";
    static final String DEFINITION = "{\"trigger\":{\"type\":\"webhook\",\"params\":{}},\"actions\":[]}";

    private StoreFixtures() {
    }

    /** A new organization row, inserted with plain JDBC; returns its id. */
    static String newOrganization(TestDatabase database) {
        String id = UUID.randomUUID().toString();
        database.update("insert into df_organization (id, name, created_at) values (?, ?, ?)",
                id, "org " + id.substring(0, 8), LocalDateTime.now(ZoneOffset.UTC));
        return id;
    }

    /** Now, at the precision both databases keep (microseconds), so rows read back compare equal. */
    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** A version-1 webhook workflow with its own path, created and updated at {@code at}. */
    static WorkflowRow workflow(String orgId, boolean enabled, Instant at) {
        return workflow(orgId, enabled, WEBHOOK, at);
    }

    /** A version-1 workflow of the trigger type with its own key, created and updated at {@code at}. */
    static WorkflowRow workflow(String orgId, boolean enabled, String triggerType, Instant at) {
        String id = UUID.randomUUID().toString();
        return new WorkflowRow(id, orgId, "workflow " + id.substring(0, 8), enabled, 1, triggerType, "path-" + id,
                DEFINITION, at, at);
    }

    /** The same workflow with another trigger key. */
    static WorkflowRow withTriggerKey(WorkflowRow row, String triggerKey) {
        return new WorkflowRow(row.id(), row.organizationId(), row.name(), row.enabled(), row.version(),
                row.triggerType(), triggerKey, row.definition(), row.createdAt(), row.updatedAt());
    }

    /** A trigger type no other test uses, for queries that span every organization. */
    static String uniqueTriggerType() {
        return "type-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
