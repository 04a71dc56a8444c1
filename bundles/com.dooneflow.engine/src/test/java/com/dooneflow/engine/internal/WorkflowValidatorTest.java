package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static com.dooneflow.engine.internal.EngineFakes.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;

class WorkflowValidatorTest {

    private static final TypeDescriptor WEBHOOK = trigger("webhook",
            ParameterDescriptor.of("path", "Path", ParameterType.STRING).asRequired(),
            ParameterDescriptor.of("authentication", "Authentication", ParameterType.SELECT).withOptions("none", "key"));

    private static final TypeDescriptor IMAP = trigger("email.imap",
            ParameterDescriptor.of("host", "Host", ParameterType.STRING).asRequired());

    /** One parameter of every type. */
    private static final TypeDescriptor HTTP = action("http.call",
            ParameterDescriptor.of("url", "URL", ParameterType.STRING).asRequired().asTemplatable(),
            ParameterDescriptor.of("label", "Label", ParameterType.STRING),
            ParameterDescriptor.of("note", "Note", ParameterType.TEXT),
            ParameterDescriptor.of("method", "Method", ParameterType.SELECT).withOptions("GET", "POST"),
            ParameterDescriptor.of("channel", "Channel", ParameterType.SELECT).withOptions("sms", "email")
                    .asTemplatable(),
            ParameterDescriptor.of("timeoutSeconds", "Timeout", ParameterType.INTEGER).asTemplatable(),
            ParameterDescriptor.of("maxRedirects", "Max redirects", ParameterType.INTEGER),
            ParameterDescriptor.of("verbose", "Verbose", ParameterType.BOOLEAN),
            ParameterDescriptor.of("dryRun", "Dry run", ParameterType.BOOLEAN).asTemplatable(),
            ParameterDescriptor.of("tags", "Tags", ParameterType.STRING_LIST),
            ParameterDescriptor.of("headers", "Headers", ParameterType.OBJECT),
            ParameterDescriptor.of("body", "Body", ParameterType.JSON),
            ParameterDescriptor.of("signingSecret", "Signing secret", ParameterType.STRING).asSecret());

    private static final TypeDescriptor SMS = action("sms.send",
            ParameterDescriptor.of("to", "To", ParameterType.STRING).asRequired().asTemplatable(),
            ParameterDescriptor.of("apiKey", "API key", ParameterType.STRING).asRequired().asSecret());

    private static final TypeDescriptor NOOP = action("noop");

    private final WorkflowValidator validator = new WorkflowValidator(List.of(WEBHOOK, IMAP), List.of(HTTP, SMS, NOOP));

    private static StepSpec webhook() {
        return new StepSpec("webhook", map("path", "leads"), null);
    }

    private static StepSpec http(Map<String, Object> params) {
        return new StepSpec("http.call", params, null);
    }

    private static StepSpec httpWith(Object... extraParams) {
        Map<String, Object> params = map("url", "https://example.com/{contact_name}");
        params.putAll(map(extraParams));
        return http(params);
    }

    private static StepSpec noop() {
        return new StepSpec("noop", Map.of(), null);
    }

    private static WorkflowDefinition def(StepSpec... actions) {
        return new WorkflowDefinition("Leads", true, webhook(), Arrays.asList(actions));
    }

    private List<FieldError> validate(WorkflowDefinition def) {
        return validator.validate(def, Set.of());
    }

    /** field → message; fails on a repeated field so a doubled error is noticed. */
    private Map<String, String> errors(WorkflowDefinition def, Set<String> secretsSet) {
        return validator.validate(def, secretsSet).stream()
                .collect(Collectors.toMap(FieldError::field, FieldError::message, (a, b) -> {
                    throw new AssertionError("two errors for one field: " + a + " / " + b);
                }, LinkedHashMap::new));
    }

    private Map<String, String> errors(WorkflowDefinition def) {
        return errors(def, Set.of());
    }

    private Map<String, String> errorsOfOneAction(StepSpec action) {
        return errors(def(action));
    }

    @Test
    void aCompleteValidWorkflowHasNoErrors() {
        WorkflowDefinition def = def(
                httpWith("label", "CRM", "note", "multi\nline", "method", "POST", "channel", "sms",
                        "timeoutSeconds", 30, "maxRedirects", 3L, "verbose", true, "dryRun", false,
                        "tags", List.of("a", "b"), "headers", map("X-Name", "{contact_name}"),
                        "body", map("name", "{contact_name}", "n", 1), "signingSecret", "s3cret"),
                new StepSpec("sms.send", map("to", "{contact_phone}", "apiKey", "sk"), null),
                noop());

        assertThat(validate(def)).isEmpty();
    }

    @Nested
    class TopLevel {

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void blankNameIsRequired(String name) {
            WorkflowDefinition def = new WorkflowDefinition(name, true, webhook(), List.of(noop()));

            assertThat(errors(def)).containsExactly(Map.entry("name", "is required"));
        }

        @Test
        void missingNameIsRequired() {
            WorkflowDefinition def = new WorkflowDefinition(null, true, webhook(), List.of(noop()));

            assertThat(errors(def)).containsOnlyKeys("name");
        }

        @Test
        void nameOfAtMost200Characters() {
            assertThat(validate(new WorkflowDefinition("x".repeat(200), true, webhook(), List.of(noop())))).isEmpty();
            assertThat(errors(new WorkflowDefinition("x".repeat(201), true, webhook(), List.of(noop()))))
                    .containsOnlyKeys("name");
        }

        @Test
        void missingTrigger() {
            WorkflowDefinition def = new WorkflowDefinition("Leads", true, null, List.of(noop()));

            assertThat(errors(def)).containsOnlyKeys("trigger");
            assertThat(errors(def).get("trigger")).startsWith("is required");
        }

        @Test
        void triggerWithoutType() {
            WorkflowDefinition def = new WorkflowDefinition("Leads", true, new StepSpec(null, Map.of(), null),
                    List.of(noop()));

            assertThat(errors(def)).containsExactly(Map.entry("trigger.type", "is required"));
        }

        @Test
        void unknownTriggerTypeIsNamedAndListsTheInstalledTypesSorted() {
            WorkflowDefinition def = new WorkflowDefinition("Leads", true, new StepSpec("cron", Map.of(), null),
                    List.of(noop()));

            Map<String, String> errors = errors(def);

            assertThat(errors).containsOnlyKeys("trigger.type");
            assertThat(errors.get("trigger.type"))
                    .contains("'cron'")
                    .contains("trigger type")
                    .contains("(installed: email.imap, webhook)");
        }

        @Test
        void anActionTypeIsNotATriggerType() {
            WorkflowDefinition def = new WorkflowDefinition("Leads", true, new StepSpec("noop", Map.of(), null),
                    List.of(noop()));

            assertThat(errors(def)).containsOnlyKeys("trigger.type");
        }

        @Test
        void triggerParamsAreCheckedLikeActionParams() {
            WorkflowDefinition def = new WorkflowDefinition("Leads", true,
                    new StepSpec("webhook", map("authentication", "magic", "verb", "POST"), null), List.of(noop()));

            Map<String, String> errors = errors(def);

            assertThat(errors).containsOnlyKeys("trigger.params.path", "trigger.params.authentication",
                    "trigger.params.verb");
            assertThat(errors.get("trigger.params.path")).isEqualTo("is required");
            assertThat(errors.get("trigger.params.authentication")).isEqualTo("must be one of [none, key]");
            assertThat(errors.get("trigger.params.verb")).isEqualTo("is not a parameter of webhook");
        }

        @Test
        void emptyActions() {
            assertThat(errors(new WorkflowDefinition("Leads", true, webhook(), List.of())))
                    .containsExactly(Map.entry("actions", "needs at least one action"));
            assertThat(errors(new WorkflowDefinition("Leads", true, webhook(), null)))
                    .containsExactly(Map.entry("actions", "needs at least one action"));
        }

        @Test
        void aNullActionIsNamedByIndex() {
            assertThat(errors(def(noop(), null))).containsExactly(Map.entry("actions[1]", "is required"));
        }

        @Test
        void fiftyActionsAreAllowedFiftyOneAreNot() {
            List<StepSpec> fifty = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fifty.add(noop());
            }
            assertThat(validate(new WorkflowDefinition("Leads", true, webhook(), fifty))).isEmpty();

            List<StepSpec> fiftyOne = new ArrayList<>(fifty);
            fiftyOne.add(noop());
            assertThat(errors(new WorkflowDefinition("Leads", true, webhook(), fiftyOne)))
                    .containsExactly(Map.entry("actions", "may hold at most 50 actions"));
        }

        @Test
        void everyProblemIsReportedAtOnce() {
            WorkflowDefinition def = new WorkflowDefinition(" ", true, new StepSpec("webhook", Map.of(), null),
                    List.of(http(map("nope", 1)), noop(), new StepSpec("fax.send", Map.of(), null)));

            assertThat(errors(def)).containsOnlyKeys("name", "trigger.params.path", "actions[0].params.url",
                    "actions[0].params.nope", "actions[2].type");
        }
    }

    @Nested
    class Actions {

        @Test
        void unknownActionTypeIsNamedByIndexAndListsInstalledTypes() {
            Map<String, String> errors = errors(def(noop(), noop(), new StepSpec("fax.send", map("to", "1"), null)));

            assertThat(errors).containsOnlyKeys("actions[2].type");
            assertThat(errors.get("actions[2].type"))
                    .contains("'fax.send'")
                    .contains("action type")
                    .contains("(installed: http.call, noop, sms.send)");
        }

        @Test
        void actionWithoutType() {
            assertThat(errors(def(noop(), new StepSpec(" ", Map.of(), null))))
                    .containsExactly(Map.entry("actions[1].type", "is required"));
        }

        @Test
        void missingRequiredParamIsNamedByPath() {
            assertThat(errorsOfOneAction(http(map("label", "x"))))
                    .containsExactly(Map.entry("actions[0].params.url", "is required"));
        }

        @Test
        void blankOrNullRequiredParamCountsAsMissing() {
            assertThat(errorsOfOneAction(http(map("url", "  ")))).containsOnlyKeys("actions[0].params.url");
            assertThat(errorsOfOneAction(http(map("url", null)))).containsOnlyKeys("actions[0].params.url");
        }

        @Test
        void theIndexInThePathIsTheActionsIndex() {
            assertThat(errors(def(noop(), noop(), noop(), http(Map.of()))))
                    .containsOnlyKeys("actions[3].params.url");
        }

        @Test
        void optionalParamsMayBeLeftOut() {
            assertThat(errorsOfOneAction(http(map("url", "https://example.com")))).isEmpty();
        }

        @Test
        void unknownParamIsNamedByPath() {
            assertThat(errorsOfOneAction(httpWith("nope", "x")))
                    .containsExactly(Map.entry("actions[0].params.nope", "is not a parameter of http.call"));
        }
    }

    @Nested
    class ParameterTypes {

        @Test
        void stringAndTextMustBeStrings() {
            assertThat(errorsOfOneAction(httpWith("label", 42)))
                    .containsExactly(Map.entry("actions[0].params.label", "must be a string"));
            assertThat(errorsOfOneAction(httpWith("note", List.of("a"))))
                    .containsExactly(Map.entry("actions[0].params.note", "must be a string"));
            assertThat(errorsOfOneAction(http(map("url", 7)))).containsOnlyKeys("actions[0].params.url");
            assertThat(errorsOfOneAction(httpWith("label", "CRM", "note", "text"))).isEmpty();
        }

        @Test
        void integerMustBeAWholeNumber() {
            assertThat(errorsOfOneAction(httpWith("maxRedirects", 3))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("maxRedirects", 3_000_000_000L))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("maxRedirects", "soon")))
                    .containsExactly(Map.entry("actions[0].params.maxRedirects", "must be a whole number"));
            assertThat(errorsOfOneAction(httpWith("maxRedirects", 2.5)))
                    .containsOnlyKeys("actions[0].params.maxRedirects");
            assertThat(errorsOfOneAction(httpWith("maxRedirects", "3")))
                    .containsOnlyKeys("actions[0].params.maxRedirects");
        }

        @Test
        void aPlaceholderIsAcceptedForAnIntegerOnlyWhenTemplatable() {
            assertThat(errorsOfOneAction(httpWith("timeoutSeconds", "{n}"))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("maxRedirects", "{n}")))
                    .containsExactly(Map.entry("actions[0].params.maxRedirects", "must be a whole number"));
            assertThat(errorsOfOneAction(httpWith("timeoutSeconds", "soon")))
                    .containsExactly(Map.entry("actions[0].params.timeoutSeconds", "must be a whole number"));
        }

        @Test
        void booleanMustBeTrueOrFalse() {
            assertThat(errorsOfOneAction(httpWith("verbose", true))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("verbose", false))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("verbose", "yes")))
                    .containsExactly(Map.entry("actions[0].params.verbose", "must be true or false"));
            assertThat(errorsOfOneAction(httpWith("verbose", "{flag}")))
                    .containsOnlyKeys("actions[0].params.verbose");
            assertThat(errorsOfOneAction(httpWith("verbose", 1))).containsOnlyKeys("actions[0].params.verbose");
            assertThat(errorsOfOneAction(httpWith("dryRun", "{flag}"))).isEmpty();
        }

        @Test
        void selectMustBeOneOfItsOptions() {
            assertThat(errorsOfOneAction(httpWith("method", "GET"))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("method", "PUT")))
                    .containsExactly(Map.entry("actions[0].params.method", "must be one of [GET, POST]"));
            assertThat(errorsOfOneAction(httpWith("method", "get"))).containsOnlyKeys("actions[0].params.method");
            assertThat(errorsOfOneAction(httpWith("method", 1))).containsOnlyKeys("actions[0].params.method");
            assertThat(errorsOfOneAction(httpWith("method", "{m}"))).containsOnlyKeys("actions[0].params.method");
            assertThat(errorsOfOneAction(httpWith("channel", "{preferred}"))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("channel", "fax"))).containsOnlyKeys("actions[0].params.channel");
        }

        @Test
        void stringListMustBeAListOfStrings() {
            assertThat(errorsOfOneAction(httpWith("tags", List.of("a", "b")))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("tags", List.of()))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("tags", List.of("a", 1))))
                    .containsExactly(Map.entry("actions[0].params.tags", "must be a list of strings"));
            assertThat(errorsOfOneAction(httpWith("tags", "a,b"))).containsOnlyKeys("actions[0].params.tags");
        }

        @Test
        void objectMustBeAnObject() {
            assertThat(errorsOfOneAction(httpWith("headers", map("X-A", "1")))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("headers", "X-A: 1")))
                    .containsExactly(Map.entry("actions[0].params.headers", "must be an object"));
            assertThat(errorsOfOneAction(httpWith("headers", List.of("X-A")))).containsOnlyKeys("actions[0].params.headers");
        }

        @Test
        void jsonTakesAnything() {
            assertThat(errorsOfOneAction(httpWith("body", "text"))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("body", 12))).isEmpty();
            assertThat(errorsOfOneAction(httpWith("body", List.of(1, "a", map("k", true))))).isEmpty();
        }
    }

    @Nested
    class Secrets {

        @Test
        void theSetMarkerOfASecretParamIsAccepted() {
            assertThat(errorsOfOneAction(httpWith("signingSecretSet", true))).isEmpty();
        }

        @Test
        void theSetMarkerOfANonSecretParamIsUnknown() {
            assertThat(errorsOfOneAction(httpWith("urlSet", true))).containsOnlyKeys("actions[0].params.urlSet");
        }

        @Test
        void aRequiredSecretNotInTheVaultIsMissing() {
            assertThat(errorsOfOneAction(new StepSpec("sms.send", map("to", "+1555"), null)))
                    .containsExactly(Map.entry("actions[0].params.apiKey", "is required"));
        }

        @Test
        void aRequiredSecretAlreadySetInTheVaultIsNotMissing() {
            WorkflowDefinition def = def(new StepSpec("sms.send", map("to", "+1555", "apiKeySet", true), null));

            assertThat(errors(def, Set.of("actions[0].params.apiKey"))).isEmpty();
        }

        @Test
        void theVaultEntryMustBeForTheSameStep() {
            WorkflowDefinition def = def(noop(), new StepSpec("sms.send", map("to", "+1555"), null));

            assertThat(errors(def, Set.of("actions[0].params.apiKey")))
                    .containsExactly(Map.entry("actions[1].params.apiKey", "is required"));
            assertThat(errors(def, Set.of("actions[1].params.apiKey"))).isEmpty();
        }

        @Test
        void onlySecretParamsCanBeSatisfiedByTheVault() {
            WorkflowDefinition def = def(new StepSpec("sms.send", map("apiKey", "sk"), null));

            assertThat(errors(def, Set.of("actions[0].params.to")))
                    .containsExactly(Map.entry("actions[0].params.to", "is required"));
        }
    }

    @Nested
    class Retry {

        private Map<String, String> withRetry(RetryPolicy retry) {
            return errors(def(new StepSpec("noop", Map.of(), retry)));
        }

        @Test
        void maxAttemptsBetween1And20() {
            assertThat(withRetry(new RetryPolicy(0, null, null)))
                    .containsExactly(Map.entry("actions[0].retry.maxAttempts", "must be between 1 and 20"));
            assertThat(withRetry(new RetryPolicy(21, null, null)))
                    .containsExactly(Map.entry("actions[0].retry.maxAttempts", "must be between 1 and 20"));
            assertThat(withRetry(new RetryPolicy(1, null, null))).isEmpty();
            assertThat(withRetry(new RetryPolicy(20, null, null))).isEmpty();
        }

        @Test
        void delaysWithinBounds() {
            assertThat(withRetry(new RetryPolicy(null, -1L, null)))
                    .containsOnlyKeys("actions[0].retry.initialDelayMillis");
            assertThat(withRetry(new RetryPolicy(null, 3_600_001L, null)))
                    .containsOnlyKeys("actions[0].retry.initialDelayMillis");
            assertThat(withRetry(new RetryPolicy(null, null, -1L)))
                    .containsOnlyKeys("actions[0].retry.maxDelayMillis");
            assertThat(withRetry(new RetryPolicy(null, null, 86_400_001L)))
                    .containsOnlyKeys("actions[0].retry.maxDelayMillis");
            assertThat(withRetry(new RetryPolicy(5, 0L, 86_400_000L))).isEmpty();
            assertThat(withRetry(new RetryPolicy(null, 3_600_000L, 0L))).isEmpty();
        }

        @Test
        void retryErrorsAreNamedByTheActionsIndex() {
            WorkflowDefinition def = def(noop(), noop(), new StepSpec("noop", Map.of(), new RetryPolicy(0, -5L, null)));

            assertThat(errors(def)).containsOnlyKeys("actions[2].retry.maxAttempts",
                    "actions[2].retry.initialDelayMillis");
        }
    }
}
