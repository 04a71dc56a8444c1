package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static com.dooneflow.engine.internal.EngineFakes.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;

/** The descriptors' constraints (range, length, pattern, URL shape) are checked when a workflow is saved. */
class ParameterConstraintsTest {

    private static final TypeDescriptor CALL = action("call",
            ParameterDescriptor.of("timeoutSeconds", "Timeout", ParameterType.INTEGER).withRange(1L, 120L),
            ParameterDescriptor.of("retries", "Retries", ParameterType.INTEGER).withRange(0L, null).asTemplatable(),
            ParameterDescriptor.of("limit", "Limit", ParameterType.INTEGER).withRange(null, 10L),
            ParameterDescriptor.of("body", "Body", ParameterType.TEXT).withLength(null, 10).asTemplatable(),
            ParameterDescriptor.of("code", "Code", ParameterType.STRING).withLength(3, 5),
            ParameterDescriptor.of("recordId", "Record id", ParameterType.STRING).asTemplatable()
                    .withPattern("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}", "must be a 15- or 18-character Salesforce id"),
            ParameterDescriptor.of("slug", "Slug", ParameterType.STRING).withPattern("[a-z]+", null),
            ParameterDescriptor.of("secret", "Secret", ParameterType.STRING).asSecret()
                    .withPattern("whsec_[A-Za-z0-9+/]+={0,2}", "must be whsec_ followed by Base64"),
            ParameterDescriptor.of("url", "URL", ParameterType.URL).asTemplatable(),
            ParameterDescriptor.of("fixedUrl", "Fixed URL", ParameterType.URL));

    private final WorkflowValidator validator = new WorkflowValidator(
            List.of(trigger("webhook", ParameterDescriptor.of("path", "Path", ParameterType.STRING))), List.of(CALL));

    /** field → message of one action with these parameters. */
    private Map<String, String> errors(Object... params) {
        WorkflowDefinition def = new WorkflowDefinition("W", true, new StepSpec("webhook", map("path", "p"), null),
                List.of(new StepSpec("call", map(params), null)));
        return validator.validate(def, Set.of()).stream()
                .collect(Collectors.toMap(FieldError::field, FieldError::message));
    }

    private String error(String param, Object value) {
        return errors(param, value).get("actions[0].params." + param);
    }

    @Nested
    class Range {

        @ParameterizedTest
        @ValueSource(ints = {1, 15, 120})
        void withinTheRangeIsFine(int seconds) {
            assertThat(errors("timeoutSeconds", seconds)).isEmpty();
        }

        @Test
        void outsideTheRangeNamesTheParameterAndTheBounds() {
            assertThat(error("timeoutSeconds", 0)).isEqualTo("must be between 1 and 120, not 0");
            assertThat(error("timeoutSeconds", 121L)).isEqualTo("must be between 1 and 120, not 121");
            assertThat(error("timeoutSeconds", -5)).isEqualTo("must be between 1 and 120, not -5");
        }

        @Test
        void anOpenSideIsNotChecked() {
            assertThat(error("retries", -1)).isEqualTo("must be at least 0, not -1");
            assertThat(errors("retries", 1_000_000)).isEmpty();
            assertThat(error("limit", 11)).isEqualTo("must be at most 10, not 11");
            assertThat(errors("limit", Integer.MIN_VALUE)).isEmpty();
        }

        @Test
        void aTemplatedValueIsCheckedWhenItRunsNotWhenSaved() {
            assertThat(errors("retries", "{attempts}")).isEmpty();
        }

        @Test
        void aWrongTypeIsReportedOnceAsAWrongType() {
            assertThat(error("timeoutSeconds", "soon")).isEqualTo("must be a whole number");
        }
    }

    @Nested
    class Length {

        @Test
        void lengthIsCountedInCharactersNotUtf16Units() {
            assertThat(errors("body", "😀".repeat(10))).isEmpty();
            assertThat(error("body", "😀".repeat(11))).isEqualTo("is 11 characters long; at most 10 are allowed");
        }

        @Test
        void minimumAndMaximum() {
            assertThat(error("code", "ab")).isEqualTo("must be at least 3 characters long");
            assertThat(errors("code", "abc")).isEmpty();
            assertThat(errors("code", "abcde")).isEmpty();
            assertThat(error("code", "abcdef")).isEqualTo("is 6 characters long; at most 5 are allowed");
        }

        @Test
        void ofATemplateTheTextAroundTheVariablesCounts() {
            assertThat(errors("body", "Hi {contact_name}, bye")).isEmpty();
            assertThat(error("body", "Hello there {contact_name}"))
                    .isEqualTo("is 12 characters long without its variables; at most 10 are allowed");
        }
    }

    @Nested
    class Patterns {

        @Test
        void theWholeValueMustMatchAndTheMessageIsTheDescriptors() {
            assertThat(errors("recordId", "00Q5e00000AbCdE")).isEmpty();
            assertThat(errors("recordId", "00Q5e00000AbCdEFGH")).isEmpty();
            assertThat(error("recordId", "00Q5e00000AbCdE/x"))
                    .isEqualTo("must be a 15- or 18-character Salesforce id");
        }

        @Test
        void withoutAMessageThePatternIsNamed() {
            assertThat(error("slug", "abc1")).isEqualTo("must match [a-z]+");
        }

        @Test
        void aTemplatedValueIsNotMatchedWhenSaved() {
            assertThat(errors("recordId", "{salesforce_id}")).isEmpty();
        }

        @Test
        void aSecretIsNeverRepeatedInTheMessage() {
            String message = error("secret", "sk_live_do_not_echo");
            assertThat(message).isEqualTo("must be whsec_ followed by Base64").doesNotContain("do_not_echo");
            assertThat(errors("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEmpty();
        }

        @Test
        void anEmptySecretClearsItAndIsNotMatched() {
            assertThat(errors("secret", "")).isEmpty();
        }
    }

    @Nested
    class Urls {

        @ParameterizedTest
        @ValueSource(strings = {"https://example.com", "http://127.0.0.1:8080/hooks?x=1", "https://example.com/{id}",
                "https://example.com/hooks/{name}?q={q}#{f}", " https://example.com/a "})
        void absoluteHttpUrlsWithVariablesAfterTheHostAreFine(String url) {
            assertThat(errors("url", url)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://{host}/hooks", "{callback_url}", "https://example.com:{port}/",
                "http{s}://example.com/", "https://example.com{path}"})
        void aVariableInTheSchemeHostOrPortIsRefused(String url) {
            assertThat(error("url", url))
                    .isEqualTo("the URL's scheme and host must be written out; variables may fill its path and query");
        }

        @Test
        void theShapeIsCheckedWithTheVariablesFilledIn() {
            assertThat(error("url", "ftp://example.com/{file}"))
                    .isEqualTo("must be an absolute URL starting with http:// or https://");
            assertThat(error("url", "https://example.com/a b/{id}")).startsWith("is not a valid URL (");
        }

        @Test
        void writtenOutUrlsMustBeAbsoluteHttpOrHttps() {
            assertThat(error("url", "/relative/path")).isEqualTo("must be an absolute URL starting with http:// or https://");
            assertThat(error("url", "file:///etc/passwd")).isEqualTo("must be an absolute URL starting with http:// or https://");
            assertThat(error("url", "https:///nohost")).isEqualTo("has no valid host name");
            assertThat(error("url", "https://exa mple.com/")).startsWith("is not a valid URL (");
            assertThat(error("url", 42)).isEqualTo("must be a string");
        }

        @Test
        void inANonTemplatableUrlBracesAreNotVariables() {
            assertThat(error("fixedUrl", "https://example.com/{id}")).startsWith("is not a valid URL (");
            assertThat(errors("fixedUrl", "https://example.com/x")).isEmpty();
        }
    }
}
