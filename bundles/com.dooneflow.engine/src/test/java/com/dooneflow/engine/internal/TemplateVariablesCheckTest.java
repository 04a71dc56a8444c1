package com.dooneflow.engine.internal;

import static com.dooneflow.engine.internal.EngineFakes.action;
import static com.dooneflow.engine.internal.EngineFakes.map;
import static com.dooneflow.engine.internal.EngineFakes.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.OutputDescriptor.Type;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;

/** A template may use only variables an earlier step declares, as far as the earlier steps declare all they give. */
class TemplateVariablesCheckTest {

    /** Closed: says every variable it gives. */
    private static final TypeDescriptor EMAIL = trigger("email.imap",
            ParameterDescriptor.of("inboxId", "Inbox", ParameterType.STRING)).withOutputs(
            OutputDescriptor.of("email_subject", Type.TEXT, null),
            OutputDescriptor.of("contact_name", Type.TEXT, null));

    /** Open: any body field. */
    private static final TypeDescriptor WEBHOOK = trigger("webhook",
            ParameterDescriptor.of("path", "Path", ParameterType.STRING)).withOutputs(
            OutputDescriptor.anyField("every top-level field of the body"),
            OutputDescriptor.of("contact_phone", Type.TEXT, null));

    /** A connector that describes no outputs (built before they existed). */
    private static final TypeDescriptor LEGACY = trigger("legacy");

    private static final TypeDescriptor SMS = action("sms.send",
            ParameterDescriptor.of("to", "To", ParameterType.STRING).asTemplatable(),
            ParameterDescriptor.of("body", "Body", ParameterType.TEXT).asTemplatable(),
            ParameterDescriptor.of("note", "Note", ParameterType.TEXT)).withOutputs(
            OutputDescriptor.of("sms_status", Type.TEXT, null));

    private static final TypeDescriptor CALL = action("call",
            ParameterDescriptor.of("payload", "Payload", ParameterType.JSON).asTemplatable(),
            ParameterDescriptor.of("headers", "Headers", ParameterType.OBJECT).asTemplatable()).withOutputs(
            OutputDescriptor.of("status", Type.NUMBER, null),
            OutputDescriptor.of("body_json", Type.ANY, null));

    private static final TypeDescriptor OLD_ACTION = action("old",
            ParameterDescriptor.of("text", "Text", ParameterType.TEXT).asTemplatable());

    private final WorkflowValidator validator = new WorkflowValidator(List.of(EMAIL, WEBHOOK, LEGACY),
            List.of(SMS, CALL, OLD_ACTION));

    private List<FieldError> validate(String trigger, StepSpec... actions) {
        return validator.validate(new WorkflowDefinition("w", true, new StepSpec(trigger, Map.of(), null),
                List.of(actions)), Set.of());
    }

    private static StepSpec step(String type, Object... params) {
        return new StepSpec(type, map(params), null);
    }

    @Test
    void aVariableTheClosedTriggerDoesNotGiveIsNamedWithWhatIsAvailable() {
        assertThat(validate("email.imap", step("sms.send", "to", "+15550001111",
                "body", "Hi {contact_name}, call {contact_phone}"))).containsExactly(new FieldError(
                "actions[0].params.body", "uses {contact_phone}, which no earlier step provides (available: "
                + "{email_subject}, {contact_name})"));
    }

    @Test
    void everyUnknownVariableOfAParameterIsNamedOnce() {
        assertThat(validate("email.imap", step("call", "payload", map("a", "{x}", "b", List.of("{y} {x}")),
                "headers", map("X-Who", "{contact_name}")))).containsExactly(new FieldError(
                "actions[0].params.payload", "uses {x}, {y}, which no earlier step provides (available: "
                + "{email_subject}, {contact_name})"));
    }

    @Test
    void variablesTheClosedTriggerGivesPass() {
        assertThat(validate("email.imap", step("sms.send", "to", "+15550001111",
                "body", "New mail from {contact_name}: {email_subject}"))).isEmpty();
    }

    @Test
    void earlierActionsOutputsCountLaterOnesAndTheStepsOwnDoNot() {
        assertThat(validate("email.imap",
                step("call", "payload", map("s", "{sms_status}")),
                step("sms.send", "to", "+15550001111", "body", "{status} {sms_status}"),
                step("call", "payload", map("s", "{sms_status}", "t", "{status}"))))
                .containsExactly(
                        new FieldError("actions[0].params.payload", "uses {sms_status}, which no earlier step "
                                + "provides (available: {email_subject}, {contact_name})"),
                        new FieldError("actions[1].params.body", "uses {sms_status}, which no earlier step provides"
                                + " (available: {email_subject}, {contact_name}, {status}, {body_json})"));
    }

    @Test
    void aNestedNameIsProvidedByItsDeclaredRoot() {
        assertThat(validate("email.imap",
                step("call", "payload", map("a", "b")),
                step("sms.send", "to", "+15550001111", "body", "{body_json.lead.id} {body_json.items.0}")))
                .isEmpty();
        assertThat(validate("email.imap", step("sms.send", "to", "+15550001111", "body", "{email.subject}")))
                .extracting(FieldError::message).singleElement().asString()
                .startsWith("uses {email.subject}, which no earlier step provides");
    }

    @Test
    void anOpenTriggerLetsAnyNameThrough() {
        assertThat(validate("webhook", step("sms.send", "to", "{phone}", "body", "Hi {first_name} {order.id}"),
                step("call", "payload", map("anything", "{whatever}")))).isEmpty();
    }

    @Test
    void aStepThatDescribesNoOutputsEndsTheCheck() {
        assertThat(validate("legacy", step("sms.send", "to", "+15550001111", "body", "{anything}"))).isEmpty();
        assertThat(validate("email.imap", step("old", "text", "{email_subject}"),
                step("sms.send", "to", "+15550001111", "body", "{whatever_old_gave}"))).isEmpty();
        // ...but not before it.
        assertThat(validate("email.imap", step("old", "text", "{not_there}"))).extracting(FieldError::field)
                .containsExactly("actions[0].params.text");
    }

    @Test
    void onlyTemplatableParametersAreRead() {
        assertThat(validate("email.imap", step("sms.send", "to", "+15550001111", "body", "hi",
                "note", "{not_a_template}"))).isEmpty();
    }
}
