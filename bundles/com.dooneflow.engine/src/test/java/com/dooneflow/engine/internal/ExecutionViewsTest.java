package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Execution;
import com.dooneflow.api.Page;
import com.dooneflow.api.StepAttempt;
import com.dooneflow.api.StepRun;
import com.dooneflow.api.store.AttemptRow;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.api.store.StepRow;
import com.dooneflow.api.store.WorkflowRow;
import com.dooneflow.testing.InMemoryStepJournal;

class ExecutionViewsTest {

    private static final String ORG = "org-1";
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final String THREE_STEPS = "{\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"leads\"}},"
            + "\"actions\":[{\"type\":\"team.assign\",\"params\":{}},{\"type\":\"twilio.sms.send\",\"params\":{}},"
            + "{\"type\":\"webhook.call\",\"params\":{}}]}";

    private final List<StepRow> steps = new ArrayList<>();
    private final List<AttemptRow> attempts = new ArrayList<>();
    private final EngineFakes.FakeExecutionStore store = new EngineFakes.FakeExecutionStore() {
        @Override
        public List<StepRow> steps(String executionId) {
            return steps;
        }

        @Override
        public List<AttemptRow> attempts(String executionId) {
            return attempts;
        }
    };
    private final EngineFakes.FakeWorkflowStore workflows = new EngineFakes.FakeWorkflowStore();
    private final InMemoryStepJournal journal = new InMemoryStepJournal();
    private final ExecutionViews views = new ExecutionViews(store, journal, workflows);

    ExecutionViewsTest() {
        workflows.insert(new WorkflowRow("wf-1", ORG, "New leads", true, 2, "webhook", "leads", THREE_STEPS, T, T));
    }

    @Test
    void everyStepOfTheVersionIsShownNumberedFromOneThoseAfterTheFailedOneAsNotRun() {
        steps.add(new StepRow("ex-1", 0, "team.assign", "succeeded", "{\"params\":{}}", "{\"team_member_name\":\"Dee\"}",
                null, 1, T, T));
        steps.add(new StepRow("ex-1", 1, "twilio.sms.send", "failed", "{\"params\":{\"to\":\"+14155550123\"}}", "{}",
                "Twilio could not be reached or did not answer in time (UnknownHostException: api.twilio.com)"
                        + " (gave up after 3 attempts)", 3, T, T.plusSeconds(60)));

        Execution e = views.withSteps(row("failed"));

        assertThat(e.workflowName()).isEqualTo("New leads");
        assertThat(e.steps()).extracting(StepRun::number).containsExactly(1, 2, 3);
        assertThat(e.steps()).extracting(StepRun::status).containsExactly("succeeded", "failed", StepRun.NOT_RUN);
        assertThat(e.steps().get(1).explanation()).startsWith(
                "DooneFlow could not reach Twilio (unknown host api.twilio.com); nothing was sent.");
        assertThat(e.steps().get(2).type()).isEqualTo("webhook.call");
        assertThat(e.steps().get(2).explanation()).isEqualTo("Not run: step 2 failed.");
        assertThat(e.steps().get(2).attempts()).isZero();
    }

    @Test
    void eachStepListsItsAttemptsWithTheirDurationAndATestRunSaysSo() {
        steps.add(new StepRow("ex-1", 0, "team.assign", "succeeded", "{\"params\":{}}", "{}", null, 2, T,
                T.plusSeconds(40)));
        attempts.add(new AttemptRow("ex-1", 0, 1, T, T.plusMillis(850), "retrying", "receiver answered 503"));
        attempts.add(new AttemptRow("ex-1", 0, 2, null, T.plusSeconds(30), "lost", "never reported back"));
        attempts.add(new AttemptRow("ex-1", 0, 3, T.plusSeconds(30), T.plusSeconds(40), "succeeded", null));
        ExecutionRow test = new ExecutionRow("ex-1", ORG, "wf-1", 2, "running", "webhook", "{}", "{}", 1, null, null,
                null, T, T, null, false, true);

        Execution e = views.withSteps(test);

        assertThat(e.test()).isTrue();
        assertThat(views.withSteps(row("running")).test()).isFalse();
        assertThat(e.steps().get(0).attemptHistory()).extracting(StepAttempt::number, StepAttempt::outcome,
                StepAttempt::durationMillis, StepAttempt::error).containsExactly(
                tuple(1, "retrying", 850L, "receiver answered 503"), tuple(2, "lost", null, "never reported back"),
                tuple(3, "succeeded", 10_000L, null));
        assertThat(e.steps().get(1).attemptHistory()).as("a step not run has none").isEmpty();
    }

    @Test
    void aQueuedRunShowsItsStepsAsNotRunYet() {
        Execution e = views.withSteps(row("queued"));
        assertThat(e.steps()).hasSize(3).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(StepRun.NOT_RUN);
            assertThat(s.explanation()).isEqualTo("Not run yet.");
        });
    }

    @Test
    void theInputShowsWhatTheConnectorReportsItActuallyUsed() {
        steps.add(new StepRow("ex-1", 0, "team.assign", "succeeded", "{\"params\":{}}", "{}", null, 1, T, T));
        steps.add(new StepRow("ex-1", 1, "twilio.sms.send", "succeeded",
                "{\"params\":{\"recipientType\":\"team_member\",\"to\":\"+14155550123\",\"body\":\"Hi\"}}", "{}", null,
                1, T, T));
        journal.put("ex-1", 1, ExecutionViews.AS_SENT_NOTE, Map.of("to", "+442071838750"));

        StepRun sms = views.withSteps(row("running")).steps().get(1);

        assertThat(sms.input()).isEqualTo(Map.of("params",
                Map.of("recipientType", "team_member", "to", "+442071838750", "body", "Hi")));
    }

    @Test
    void aListNamesEachWorkflowAndTheTriggersContact() {
        Page<Execution> page = views.summaries(new Page<>(List.of(row("succeeded"),
                new ExecutionRow("ex-2", ORG, "gone", 1, "failed", "webhook", "{\"n\":1}", "{}", 0, null, "x", null, T,
                        T, T)), null));

        assertThat(page.items()).extracting(Execution::workflowName).containsExactly("New leads", null);
        assertThat(page.items().get(0).contact()).containsExactly(Map.entry("name", "Ann Lee"),
                Map.entry("email", "ann@example.com"), Map.entry("phone", "+14155550123"));
        assertThat(page.items().get(1).contact()).isEmpty();
        assertThat(page.items().get(0).steps()).isNull();
    }

    private static ExecutionRow row(String status) {
        return new ExecutionRow("ex-1", ORG, "wf-1", 2, status, "webhook",
                "{\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"email\":\"ann@example.com\",\"phone\":\"+14155550123\"}",
                "{}", 1, null, null, null, T, T, null);
    }
}
