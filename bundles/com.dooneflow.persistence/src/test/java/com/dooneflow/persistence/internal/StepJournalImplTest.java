package com.dooneflow.persistence.internal;

import static com.dooneflow.persistence.internal.StoreFixtures.WEBHOOK;
import static com.dooneflow.persistence.internal.StoreFixtures.newOrganization;
import static com.dooneflow.persistence.internal.StoreFixtures.now;
import static com.dooneflow.persistence.internal.StoreFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;

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

    @OnBothDatabases
    void aNoteIsWrittenReplacedAndReadBackPerStepAndKey(DbKind kind) {
        StepJournalImpl journal = new StepJournalImpl(db(kind));
        String execution = newExecution(kind);

        assertThat(journal.get(execution, 0, "twilio")).isEmpty();
        journal.put(execution, 0, "twilio", Map.of("state", "sending"));
        journal.put(execution, 0, "twilio", Map.of("state", "sent", "sid", "SM123"));
        journal.put(execution, 1, "delivery", Map.of("status", "delivered"));

        assertThat(journal.get(execution, 0, "twilio")).contains(Map.of("state", "sent", "sid", "SM123"));
        assertThat(journal.get(execution, 1, "twilio")).as("another step").isEmpty();
        assertThat(journal.notes(execution)).isEqualTo(Map.of(
                0, Map.of("twilio", Map.of("state", "sent", "sid", "SM123")),
                1, Map.of("delivery", Map.of("status", "delivered"))));
        assertThat(journal.notes(newExecution(kind))).as("another execution").isEmpty();
    }

    @OnBothDatabases
    void concurrentWritersOfOneNoteLeaveOneOfTheirValues(DbKind kind) throws Exception {
        StepJournalImpl journal = new StepJournalImpl(db(kind));
        String execution = newExecution(kind);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                writers.add(() -> {
                    journal.put(execution, 2, "delivery", Map.of("n", n));
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get(); // no writer failed on the race between update and insert
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(journal.notes(execution).get(2)).containsOnlyKeys("delivery");
        assertThat((Integer) journal.get(execution, 2, "delivery").orElseThrow().get("n")).isBetween(0, 15);
    }

    @OnBothDatabases
    void updatesFromManyThreadsApplyOneAfterTheOtherAndNoneIsLost(DbKind kind) throws Exception {
        StepJournalImpl journal = new StepJournalImpl(db(kind));
        String execution = newExecution(kind);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                writers.add(() -> {
                    journal.update(execution, 0, "delivery", note -> {
                        List<Object> seen = new ArrayList<>(note == null ? List.of() : (List<?>) note.get("seen"));
                        seen.add(n);
                        return Map.of("seen", seen);
                    });
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get(); // the first writers race on the insert: none of them fails
            }
        } finally {
            pool.shutdownNow();
        }
        List<Object> seen = new ArrayList<>((List<?>) journal.get(execution, 0, "delivery").orElseThrow().get("seen"));
        assertThat(seen).as("a read-modify-write under the row lock loses no update").hasSize(24)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 24).<Object>mapToObj(i -> i).toList());
    }
}
