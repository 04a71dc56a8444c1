package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.WEBHOOK;
import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.testing.contract.StepJournalContract;

/** The {@link StepJournalContract} on both databases, and the tie of notes to executions that exist. */
class StepJournalImplTest extends DatabaseTestBase {

    private final Map<DbKind, ExecutionStoreImpl> stores = new EnumMap<>(DbKind.class);

    @AfterAll
    void closeStores() {
        stores.values().forEach(ExecutionStoreImpl::close);
    }

    private String newExecution(DbKind kind) {
        String org = newOrganization(on(kind));
        new WorkflowStoreImpl(db(kind)).insert(workflow(org, true, now()));
        ExecutionStoreImpl store = stores.computeIfAbsent(kind, k -> new ExecutionStoreImpl(db(k)));
        return store.intake(org, WEBHOOK, List.of(), null, "{}").executionIds().get(0);
    }

    @Nested
    class OnH2 extends StepJournalContract {
        @Override
        protected StepJournal journal() {
            return new StepJournalImpl(db(DbKind.H2));
        }

        @Override
        protected String newExecution() {
            return StepJournalImplTest.this.newExecution(DbKind.H2);
        }
    }

    @Nested
    class OnPostgres extends StepJournalContract {
        @Override
        protected StepJournal journal() {
            return new StepJournalImpl(db(DbKind.POSTGRES));
        }

        @Override
        protected String newExecution() {
            return StepJournalImplTest.this.newExecution(DbKind.POSTGRES);
        }
    }

    @OnBothDatabases
    void aNoteForAnExecutionThatDoesNotExistIsRefused(DbKind kind) {
        StepJournalImpl journal = new StepJournalImpl(db(kind));
        String missing = newId();

        assertThatThrownBy(() -> journal.put(missing, 0, "send", Map.of("state", "sending")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(journal.notes(missing)).isEmpty();
    }
}
