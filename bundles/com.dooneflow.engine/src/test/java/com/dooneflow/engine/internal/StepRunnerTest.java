package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.Claim;
import com.dooneflow.api.store.ExecutionRow;
import com.dooneflow.engine.internal.EngineFakes.FakeConnectorRegistry;
import com.dooneflow.engine.internal.EngineFakes.FakeExecutionStore;
import com.dooneflow.engine.internal.EngineFakes.FakeExecutionStore.Call;
import com.dooneflow.engine.internal.EngineFakes.FakeHandler;
import com.dooneflow.engine.internal.EngineFakes.FakeSecretVault;
import com.dooneflow.engine.internal.EngineFakes.FakeWorkflowStore;

class StepRunnerTest {

    private static final String ORG = "org-1";
    private static final String WF = "wf-1";
    private static final String EXEC = "exec-1";
    private static final String TRIGGER_DATA = "{\"name\":\"Ann\",\"phone\":\"+1555\"}";

    private static final TypeDescriptor ASSIGN = action("crm.assign",
            ParameterDescriptor.of("team", "Team", ParameterType.STRING).asTemplatable());

    private static final TypeDescriptor SMS = action("sms.send",
            ParameterDescriptor.of("to", "To", ParameterType.STRING).asRequired().asTemplatable(),
            ParameterDescriptor.of("body", "Body", ParameterType.TEXT).asTemplatable(),
            ParameterDescriptor.of("from", "From", ParameterType.STRING).withDefault("DooneFlow"),
            ParameterDescriptor.of("priority", "Priority", ParameterType.INTEGER).asTemplatable(),
            ParameterDescriptor.of("apiKey", "API key", ParameterType.STRING).asSecret());

    private static final TypeDescriptor HTTP = action("http.call",
            ParameterDescriptor.of("url", "URL", ParameterType.STRING).asTemplatable(),
            ParameterDescriptor.of("headers", "Headers", ParameterType.OBJECT).asTemplatable());

    private final FakeExecutionStore store = new FakeExecutionStore();
    private final FakeWorkflowStore workflows = new FakeWorkflowStore();
    private final FakeConnectorRegistry registry = new FakeConnectorRegistry();
    private final FakeSecretVault vault = new FakeSecretVault();
    private final StepRunner runner = new StepRunner(store, workflows, registry, vault, Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    private FakeHandler assign;
    private FakeHandler sms;

    @BeforeEach
    void installHandlers() {
        assign = FakeHandler.ok(ASSIGN, Map.of("team_member_name", "Bob"));
        sms = FakeHandler.ok(SMS, Map.of("messageId", "m-1"));
        registry.with(assign).with(sms);
    }

    private void workflow(StepSpec... actions) {
        workflows.putDefinition(WF, 1, Definitions.write(new Definitions.Stored(
                new StepSpec("webhook", map("path", "leads"), null), List.of(actions))));
    }

    private static Claim claim(int currentStep, String variables, int stepAttempts, String triggerData) {
        Instant now = Instant.now();
        return new Claim(new ExecutionRow(EXEC, ORG, WF, 1, "running", "webhook", triggerData, variables,
                currentStep, null, null, now, now, now, null), "lease", stepAttempts);
    }

    private static Claim claim() {
        return claim(0, null, 0, TRIGGER_DATA);
    }

    private static Claim claimWithAttempts(int stepAttempts) {
        return claim(0, null, stepAttempts, TRIGGER_DATA);
    }

    private static StepSpec assignStep() {
        return new StepSpec("crm.assign", map("team", "sales"), null);
    }

    private static StepSpec smsStep(String body) {
        return new StepSpec("sms.send", map("to", "{contact_phone}", "body", body), null);
    }

    private static Map<String, Object> json(String text) {
        return Definitions.map(text);
    }

    @Nested
    class Success {

        @Test
        void twoOkStepsAreRecordedInOrderThenTheExecutionSucceeds() {
            workflow(assignStep(), smsStep("Hi {team_member_name}, new contact: {contact_name}"));
            Claim claim = claim();

            runner.run(claim);

            assertThat(store.labels()).containsExactly("stepSucceeded:0", "renew", "stepSucceeded:1", "succeeded");
            assertThat(store.calls).allSatisfy(c -> assertThat(c.claim()).isSameAs(claim));
            assertThat(store.only("renew").lease()).isEqualTo(Duration.ofSeconds(60));
            List<Call> steps = store.calls("stepSucceeded");
            assertThat(steps).extracting(Call::type).containsExactly("crm.assign", "sms.send");
            assertThat(json(steps.get(0).output())).containsExactly(Map.entry("team_member_name", "Bob"));
            assertThat(json(steps.get(1).output())).containsExactly(Map.entry("messageId", "m-1"));
        }

        @Test
        void laterStepsSeeEarlierOutputsAndTriggerVariables() {
            workflow(assignStep(), smsStep("Hi {team_member_name}, new contact: {contact_name} ({phone})"));

            runner.run(claim());

            assertThat(assign.last().params()).containsExactly(Map.entry("team", "sales"));
            FakeHandler.Seen seen = sms.last();
            assertThat(seen.params())
                    .containsEntry("to", "+1555")
                    .containsEntry("body", "Hi Bob, new contact: Ann (+1555)");
            assertThat(seen.variables())
                    .containsEntry("name", "Ann")
                    .containsEntry("contact_name", "Ann")
                    .containsEntry("contact_phone", "+1555")
                    .containsEntry("team_member_name", "Bob");
        }

        @Test
        void theVariablesAfterEachStepAreRecorded() {
            workflow(assignStep(), smsStep("Hi"));

            runner.run(claim());

            List<Call> steps = store.calls("stepSucceeded");
            assertThat(json(steps.get(0).variables()))
                    .containsEntry("name", "Ann")
                    .containsEntry("contact_name", "Ann")
                    .containsEntry("team_member_name", "Bob")
                    .doesNotContainKey("messageId");
            assertThat(json(steps.get(1).variables()))
                    .containsEntry("team_member_name", "Bob")
                    .containsEntry("messageId", "m-1");
        }

        @Test
        void theRecordedInputHoldsTheRenderedParams() {
            workflow(smsStep("Hello {contact_name}"));

            runner.run(claim());

            Map<String, Object> input = json(store.only("stepSucceeded").input());
            assertThat(input).containsOnlyKeys("params");
            assertThat(input.get("params")).asInstanceOf(MAP)
                    .containsEntry("to", "+1555")
                    .containsEntry("body", "Hello Ann");
        }

        @Test
        void unknownPlaceholdersStayLiteralAndAreListedInTheInput() {
            workflow(smsStep("Hello {contact_name}, {nickname} {nickname} {mood}"));

            runner.run(claim());

            assertThat(sms.last().params()).containsEntry("body", "Hello Ann, {nickname} {nickname} {mood}");
            Map<String, Object> input = json(store.only("stepSucceeded").input());
            assertThat(input.get("params")).asInstanceOf(MAP)
                    .containsEntry("body", "Hello Ann, {nickname} {nickname} {mood}");
            assertThat(input.get("unknownVariables")).asInstanceOf(LIST).containsExactly("nickname", "mood");
            assertThat(store.labels()).endsWith("succeeded");
        }

        @Test
        void aParamsDefaultIsUsedWhenItIsNotGiven() {
            workflow(smsStep("Hi"));

            runner.run(claim());

            assertThat(sms.last().params()).containsEntry("from", "DooneFlow");
            assertThat(json(store.only("stepSucceeded").input()).get("params")).asInstanceOf(MAP)
                    .containsEntry("from", "DooneFlow");
        }

        @Test
        void anIntegerTemplateIsRenderedToAnInteger() {
            workflow(new StepSpec("sms.send", map("to", "x", "priority", "{level}"), null));

            runner.run(claim(0, null, 0, "{\"level\":\"3\"}"));

            assertThat(sms.last().params()).containsEntry("priority", 3);
        }

        @Test
        void aHandlerReadsItsParametersAsARecordCheckedAgainstTheDescriptor() {
            record SmsParams(String to, String body, Integer priority) {
            }
            record Misfit(String to, String priority, String colour) {
            }
            List<Object> bound = new ArrayList<>();
            registry.with(FakeHandler.answering(SMS, c -> {
                bound.add(c.params(SmsParams.class));
                try {
                    return ActionResult.ok(Map.of("bound", c.params(Misfit.class)));
                } catch (IllegalArgumentException e) {
                    return ActionResult.fail(e.getMessage());
                }
            }));
            workflow(new StepSpec("sms.send", map("to", "+1555", "body", "Hi", "priority", 2), null));

            runner.run(claim());

            assertThat(bound).containsExactly(new SmsParams("+1555", "Hi", 2));
            assertThat(store.only("stepFailed").error()).isEqualTo("Misfit does not fit sms.send: priority is a String,"
                    + " which cannot hold the integer parameter priority; colour is not a parameter of sms.send (its "
                    + "parameters: to, body, from, priority, apiKey)");
        }

        @Test
        void unknownParamsOfTheDefinitionAreNotPassedOn() {
            workflow(new StepSpec("sms.send", map("to", "x", "stale", "old"), null));

            runner.run(claim());

            assertThat(sms.last().params()).doesNotContainKey("stale");
        }

        @Test
        void anExecutionAlreadyPastItsLastStepJustSucceeds() {
            workflow(assignStep());

            runner.run(claim(1, "{}", 0, TRIGGER_DATA));

            assertThat(store.labels()).containsExactly("succeeded");
            assertThat(assign.seen).isEmpty();
        }
    }

    @Nested
    class Secrets {

        @Test
        void aSecretParamComesFromTheVaultAndIsRecordedMasked() {
            vault.put(ORG, WF, "actions[0].params.apiKey", "sk_live_123");
            workflow(smsStep("Hi"));

            runner.run(claim());

            assertThat(sms.last().params()).containsEntry("apiKey", "sk_live_123");
            Call step = store.only("stepSucceeded");
            assertThat(json(step.input()).get("params")).asInstanceOf(MAP).containsEntry("apiKey", "***");
            assertThat(step.input()).doesNotContain("sk_live_123");
            assertThat(step.variables()).doesNotContain("sk_live_123");
        }

        @Test
        void theVaultFieldIsTheStepsOwn() {
            vault.put(ORG, WF, "actions[0].params.apiKey", "key-of-step-0");
            vault.put(ORG, WF, "actions[1].params.apiKey", "key-of-step-1");
            workflow(smsStep("first"), smsStep("second"));

            runner.run(claim());

            assertThat(sms.seen).extracting(s -> s.params().get("apiKey"))
                    .containsExactly("key-of-step-0", "key-of-step-1");
        }

        @Test
        void aSecretIsReadFromTheWorkflowsOrganizationAndOwner() {
            vault.put("other-org", WF, "actions[0].params.apiKey", "wrong-org");
            vault.put(ORG, "other-workflow", "actions[0].params.apiKey", "wrong-workflow");
            workflow(smsStep("Hi"));

            runner.run(claim());

            assertThat(sms.last().params()).doesNotContainKey("apiKey");
            assertThat(json(store.only("stepSucceeded").input()).get("params")).asInstanceOf(MAP)
                    .doesNotContainKey("apiKey");
        }

        @Test
        void aSecretValueLeftInTheDefinitionIsNotUsed() {
            workflow(new StepSpec("sms.send", map("to", "x", "apiKey", "from-definition"), null));

            runner.run(claim());

            assertThat(sms.last().params()).doesNotContainKey("apiKey");
        }
    }

    @Nested
    class Failures {

        @Test
        void retryRecordsTheAttemptWithABackoffAndStops() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("rate limited", null));
            registry.with(sms);
            workflow(smsStep("Hi {contact_name}"), assignStep());

            Instant before = Instant.now();
            runner.run(claim());
            Instant after = Instant.now();

            assertThat(store.labels()).containsExactly("stepRetry:0");
            Call retry = store.only("stepRetry");
            assertThat(retry.type()).isEqualTo("sms.send");
            assertThat(retry.error()).isEqualTo("rate limited");
            assertThat(retry.at()).isBetween(before.plusMillis(800), after.plusMillis(1200));
            assertThat(json(retry.input()).get("params")).asInstanceOf(MAP).containsEntry("body", "Hi Ann");
            assertThat(assign.seen).isEmpty();
        }

        @Test
        void theBackoffGrowsWithTheAttemptsSoFar() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("busy", null));
            registry.with(sms);
            workflow(smsStep("Hi"));

            Instant before = Instant.now();
            runner.run(claimWithAttempts(2));
            Instant after = Instant.now();

            assertThat(store.only("stepRetry").at()).isBetween(before.plusMillis(3200), after.plusMillis(4800));
        }

        @Test
        void theStepsOwnRetryPolicyIsUsed() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("busy", null));
            registry.with(sms);
            workflow(new StepSpec("sms.send", map("to", "x"), new RetryPolicy(5, 10_000L, null)));

            Instant before = Instant.now();
            runner.run(claim());
            Instant after = Instant.now();

            assertThat(store.only("stepRetry").at()).isBetween(before.plusMillis(8000), after.plusMillis(12_000));
        }

        @Test
        void aLongerRetryAfterIsHonoured() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("429", Duration.ofMinutes(5)));
            registry.with(sms);
            workflow(smsStep("Hi"));

            Instant before = Instant.now();
            runner.run(claim());
            Instant after = Instant.now();

            assertThat(store.only("stepRetry").at()).isBetween(before.plus(Duration.ofMinutes(5)),
                    after.plus(Duration.ofMinutes(5)));
        }

        @Test
        void givesUpWhenTheAttemptReachesTheStepsMaxAttempts() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("rate limited", null));
            registry.with(sms);
            workflow(new StepSpec("sms.send", map("to", "x"), new RetryPolicy(3, null, null)), assignStep());

            runner.run(claimWithAttempts(2));

            assertThat(sms.last().attempt()).isEqualTo(3);
            assertThat(store.labels()).containsExactly("stepFailed:0");
            Call failed = store.only("stepFailed");
            assertThat(failed.type()).isEqualTo("sms.send");
            assertThat(failed.error()).isEqualTo("rate limited (gave up after 3 attempts)");
            assertThat(assign.seen).isEmpty();
        }

        @Test
        void retriesAgainBelowMaxAttempts() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("rate limited", null));
            registry.with(sms);
            workflow(new StepSpec("sms.send", map("to", "x"), new RetryPolicy(3, null, null)));

            runner.run(claimWithAttempts(1));

            assertThat(store.labels()).containsExactly("stepRetry:0");
        }

        @Test
        void theDefaultPolicyGivesUpAfterFiveAttempts() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("down", null));
            registry.with(sms);
            workflow(smsStep("Hi"));

            runner.run(claimWithAttempts(4));

            assertThat(store.only("stepFailed").error()).isEqualTo("down (gave up after 5 attempts)");
        }

        @Test
        void failStopsTheExecutionWithTheReason() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.fail("invalid phone number"));
            registry.with(sms);
            workflow(assignStep(), smsStep("Hi"), assignStep());

            runner.run(claim());

            assertThat(store.labels()).containsExactly("stepSucceeded:0", "renew", "stepFailed:1");
            Call failed = store.only("stepFailed");
            assertThat(failed.type()).isEqualTo("sms.send");
            assertThat(failed.error()).isEqualTo("invalid phone number");
            assertThat(json(failed.input()).get("params")).asInstanceOf(MAP).containsEntry("to", "+1555");
            assertThat(assign.seen).hasSize(1);
        }

        @Test
        void aThrowingHandlerIsRetried() {
            sms = new FakeHandler(SMS, c -> {
                throw new IllegalStateException("boom");
            });
            registry.with(sms);
            workflow(smsStep("Hi"));

            Instant before = Instant.now();
            runner.run(claim());
            Instant after = Instant.now();

            assertThat(store.labels()).containsExactly("stepRetry:0");
            Call retry = store.only("stepRetry");
            assertThat(retry.error()).isEqualTo("unexpected error in sms.send: IllegalStateException: boom");
            assertThat(retry.at()).isBetween(before.plusMillis(800), after.plusMillis(1200));
        }

        @Test
        void aSecretThisNodeCannotReadRetriesTheStepWithTheVaultsReason() {
            sms = new FakeHandler(SMS, c -> {
                throw new com.dooneflow.api.SecretUnavailableException(
                        "The secret 'authToken' cannot be read on this node: data key dk-1 is wrapped by master key m2");
            });
            registry.with(sms);
            workflow(smsStep("Hi"));

            runner.run(claim());

            assertThat(store.labels()).containsExactly("stepRetry:0");
            assertThat(store.only("stepRetry").error()).isEqualTo(
                    "The secret 'authToken' cannot be read on this node: data key dk-1 is wrapped by master key m2");
        }

        @Test
        void aThrowingHandlerAtTheLastAttemptFails() {
            sms = new FakeHandler(SMS, c -> {
                throw new java.io.IOException();
            });
            registry.with(sms);
            workflow(smsStep("Hi"));

            runner.run(claimWithAttempts(4));

            assertThat(store.only("stepFailed").error())
                    .isEqualTo("unexpected error in sms.send: IOException (gave up after 5 attempts)");
        }

        @Test
        void aMissingHandlerParksTheExecutionAndCountsIt() {
            registry.handlers.remove("sms.send");
            workflow(assignStep(), smsStep("Hi"));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Metrics.addRegistry(meters);

            Instant before = Instant.now();
            try {
                runner.run(claim());
            } finally {
                Metrics.removeRegistry(meters);
            }
            Instant after = Instant.now();

            assertThat(store.labels()).containsExactly("stepSucceeded:0", "renew", "waiting");
            Call waiting = store.only("waiting");
            assertThat(waiting.type()).isEqualTo("sms.send");
            assertThat(waiting.at()).isBetween(before.plusSeconds(30), after.plusSeconds(30));
            assertThat(meters.get("dooneflow.executions.waiting").tag("organization", ORG).counter().count())
                    .as("dooneflow_executions_waiting_total").isEqualTo(1.0);
        }

        @Test
        void aLineBreakRenderedIntoAHeaderFailsTheStepWithoutCallingTheHandler() {
            FakeHandler http = FakeHandler.ok(HTTP, Map.of());
            registry.with(http);
            workflow(new StepSpec("http.call", map("url", "https://crm.example.com", "headers",
                    map("X-Name", "{name}")), null));

            runner.run(claim(0, null, 0, Definitions.write(map("name", "Ann\r\nX-Admin: true"))));

            assertThat(http.seen).isEmpty();
            assertThat(store.labels()).containsExactly("stepFailed:0");
            Call failed = store.only("stepFailed");
            assertThat(failed.type()).isEqualTo("http.call");
            assertThat(failed.error()).contains("X-Name").contains("line break").doesNotContain("X-Admin");
        }

        @Test
        void anUnknownVariableInAnIntegerFailsTheStep() {
            workflow(new StepSpec("sms.send", map("to", "x", "priority", "{level}"), null));

            runner.run(claim());

            assertThat(sms.seen).isEmpty();
            assertThat(store.only("stepFailed").error()).contains("priority").contains("level");
        }

        @Test
        void aMissingDefinitionFailsTheExecution() {
            runner.run(claim());

            Call failed = store.only("stepFailed");
            assertThat(failed.index()).isZero();
            assertThat(failed.error()).isEqualTo("workflow version 1 is gone");
        }

        @Test
        void aLostLeaseOrACancellationStopsBeforeTheNextStep() {
            store.renewResult = false;
            workflow(assignStep(), smsStep("Hi"));

            runner.run(claim());

            // Cancelled: it ends as such; lost: that write is fenced and changes nothing.
            assertThat(store.labels()).containsExactly("stepSucceeded:0", "renew", "stopIfCancelled");
            assertThat(sms.seen).isEmpty();
        }

        @Test
        void aRejectedStepWriteStopsTheExecution() {
            store.stepSucceededResult = false;
            workflow(assignStep(), smsStep("Hi"));

            runner.run(claim());

            assertThat(store.labels()).containsExactly("stepSucceeded:0");
            assertThat(sms.seen).isEmpty();
        }
    }

    @Nested
    class Resuming {

        @Test
        void resumingSkipsDoneStepsAndUsesTheStoredVariables() {
            workflow(assignStep(), smsStep("Hi {team_member_name}, new contact: {contact_name}"));
            String variables = Definitions.write(map("contact_name", "Zed", "contact_phone", "+1999",
                    "team_member_name", "Carol"));

            runner.run(claim(1, variables, 0, TRIGGER_DATA));

            assertThat(assign.seen).isEmpty();
            assertThat(sms.last().params())
                    .containsEntry("to", "+1999")
                    .containsEntry("body", "Hi Carol, new contact: Zed");
            assertThat(sms.last().variables()).doesNotContainKey("name");
            assertThat(store.labels()).containsExactly("stepSucceeded:1", "succeeded");
            assertThat(json(store.only("stepSucceeded").variables()))
                    .containsEntry("contact_name", "Zed")
                    .containsEntry("team_member_name", "Carol")
                    .containsEntry("messageId", "m-1");
        }
    }

    @Nested
    class Context {

        @Test
        void identifiesTheExecutionStepAndAttempt() {
            workflow(assignStep(), smsStep("Hi"));

            runner.run(claimWithAttempts(2));

            FakeHandler.Seen first = assign.last();
            assertThat(first.organizationId()).isEqualTo(ORG);
            assertThat(first.executionId()).isEqualTo(EXEC);
            assertThat(first.stepIndex()).isZero();
            assertThat(first.attempt()).isEqualTo(3);
            assertThat(first.idempotencyKey()).isEqualTo("exec-1:0");

            FakeHandler.Seen second = sms.last();
            assertThat(second.stepIndex()).isEqualTo(1);
            assertThat(second.attempt()).as("a later step starts at its first attempt").isEqualTo(1);
            assertThat(second.idempotencyKey()).isEqualTo("exec-1:1");
        }

        @Test
        void theIdempotencyKeyIsTheSameAcrossRetries() {
            sms = FakeHandler.answering(SMS, c -> ActionResult.retry("busy", null));
            registry.with(sms);
            workflow(smsStep("Hi"));

            runner.run(claimWithAttempts(0));
            runner.run(claimWithAttempts(1));

            assertThat(sms.seen).extracting(FakeHandler.Seen::idempotencyKey).containsExactly("exec-1:0", "exec-1:0");
            assertThat(sms.seen).extracting(FakeHandler.Seen::attempt).containsExactly(1, 2);
        }

        @Test
        void aResumedStepIsNumberedByItsIndex() {
            workflow(assignStep(), smsStep("Hi"));

            runner.run(claim(1, "{}", 0, TRIGGER_DATA));

            assertThat(sms.last().stepIndex()).isEqualTo(1);
            assertThat(sms.last().idempotencyKey()).isEqualTo("exec-1:1");
            assertThat(sms.last().attempt()).isEqualTo(1);
        }
    }

    /** Regression: handlers that answer null, Ok(null) or try to write to what they were given. */
    @Nested
    class MisbehavingHandlers {

        @Test
        void aNullResultIsRecordedAsARetryNotAnException() {
            sms = new FakeHandler(SMS, c -> null);
            registry.with(sms);
            workflow(smsStep("Hi"), assignStep());

            Instant before = Instant.now();
            runner.run(claim());
            Instant after = Instant.now();

            assertThat(store.labels()).containsExactly("stepRetry:0");
            Call retry = store.only("stepRetry");
            assertThat(retry.type()).isEqualTo("sms.send");
            assertThat(retry.error()).contains("returned no result").doesNotContain("NullPointerException");
            assertThat(retry.at()).isBetween(before.plusMillis(800), after.plusMillis(1200));
            assertThat(json(retry.input()).get("params")).asInstanceOf(MAP).containsEntry("body", "Hi");
            assertThat(assign.seen).isEmpty();
        }

        @Test
        void aNullResultAtTheLastAttemptFails() {
            sms = new FakeHandler(SMS, c -> null);
            registry.with(sms);
            workflow(smsStep("Hi"));

            runner.run(claimWithAttempts(4));

            assertThat(store.labels()).containsExactly("stepFailed:0");
            assertThat(store.only("stepFailed").error()).contains("returned no result")
                    .endsWith("(gave up after 5 attempts)");
        }

        @Test
        void okWithNullOutputsSucceedsWithAnEmptyOutput() {
            sms = new FakeHandler(SMS, c -> new ActionResult.Ok(null));
            registry.with(sms);
            workflow(smsStep("Hi"), assignStep());

            runner.run(claim());

            assertThat(store.labels()).containsExactly("stepSucceeded:0", "renew", "stepSucceeded:1", "succeeded");
            Call first = store.calls("stepSucceeded").get(0);
            assertThat(first.type()).isEqualTo("sms.send");
            assertThat(first.output()).isEqualTo("{}");
            assertThat(json(first.variables())).containsEntry("contact_name", "Ann")
                    .doesNotContainKey("messageId");
            assertThat(assign.last().variables()).containsEntry("contact_name", "Ann");
        }

        @Test
        void writingToTheVariablesThrowsAndIsRetried() {
            sms = new FakeHandler(SMS, c -> {
                c.variables().put("contact_name", "Mallory");
                return ActionResult.ok(Map.of());
            });
            registry.with(sms);
            workflow(smsStep("Hi"), assignStep());

            runner.run(claim());

            assertThat(store.labels()).containsExactly("stepRetry:0");
            assertThat(store.only("stepRetry").error())
                    .isEqualTo("unexpected error in sms.send: UnsupportedOperationException");
            assertThat(assign.seen).isEmpty();
        }

        @Test
        void writingToTheParamsThrowsAndIsRetried() {
            sms = new FakeHandler(SMS, c -> {
                c.params().put("to", "+1999");
                return ActionResult.ok(Map.of());
            });
            registry.with(sms);
            workflow(smsStep("Hi"));

            runner.run(claim());

            assertThat(store.labels()).containsExactly("stepRetry:0");
            Call retry = store.only("stepRetry");
            assertThat(retry.error()).isEqualTo("unexpected error in sms.send: UnsupportedOperationException");
            assertThat(json(retry.input()).get("params")).asInstanceOf(MAP).containsEntry("to", "+1555");
        }

        @Test
        void aHandlerCannotChangeTheStoredVariablesOrItsParams() {
            List<String> refused = new java.util.ArrayList<>();
            FakeHandler meddler = new FakeHandler(ASSIGN, c -> {
                tryTo(refused, "put variable", () -> c.variables().put("contact_name", "Mallory"));
                tryTo(refused, "remove variable", () -> c.variables().remove("contact_phone"));
                tryTo(refused, "clear variables", () -> c.variables().clear());
                tryTo(refused, "put param", () -> c.params().put("team", "hackers"));
                tryTo(refused, "clear params", () -> c.params().clear());
                return ActionResult.ok(Map.of("team_member_name", "Bob"));
            });
            registry.with(meddler);
            workflow(assignStep(), smsStep("Hi {contact_name}"));

            runner.run(claim());

            assertThat(refused).containsExactly("put variable", "remove variable", "clear variables", "put param",
                    "clear params");
            assertThat(store.labels()).containsExactly("stepSucceeded:0", "renew", "stepSucceeded:1", "succeeded");
            Call first = store.calls("stepSucceeded").get(0);
            assertThat(json(first.input()).get("params")).asInstanceOf(MAP).containsEntry("team", "sales");
            Map<String, Object> stored = json(first.variables());
            assertThat(stored)
                    .containsEntry("name", "Ann")
                    .containsEntry("contact_name", "Ann")
                    .containsEntry("contact_phone", "+1555")
                    .containsEntry("team_member_name", "Bob");
            assertThat(sms.last().params()).containsEntry("to", "+1555").containsEntry("body", "Hi Ann");
            assertThat(json(store.calls("stepSucceeded").get(1).variables())).containsEntry("contact_name", "Ann")
                    .containsEntry("contact_phone", "+1555");
        }

        private static void tryTo(List<String> refused, String what, Runnable change) {
            try {
                change.run();
            } catch (UnsupportedOperationException expected) {
                refused.add(what);
            }
        }
    }
}
