package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.testing.contract.StepJournalContract;

class InMemoryStepJournalContractTest extends StepJournalContract {

    private final InMemoryStepJournal journal = new InMemoryStepJournal();

    @Override
    protected StepJournal journal() {
        return journal;
    }

    @Override
    protected String newExecution() {
        return UUID.randomUUID().toString();
    }

    @Test
    void theHistoryKeepsEveryWriteAndAllTheCurrentNotes() {
        InMemoryStepJournal fresh = new InMemoryStepJournal();
        fresh.put("e1", 0, "send", Map.of("state", "sending"));
        fresh.update("e1", 0, "send", note -> Map.of("state", "sent"));
        fresh.put("e2", 1, "other", Map.of());

        assertThat(fresh.history()).extracting(InMemoryStepJournal.Note::value)
                .containsExactly(Map.of("state", "sending"), Map.of("state", "sent"), Map.of());
        assertThat(fresh.all()).extracting(InMemoryStepJournal.Note::executionId).containsExactlyInAnyOrder("e1", "e2");
    }
}
