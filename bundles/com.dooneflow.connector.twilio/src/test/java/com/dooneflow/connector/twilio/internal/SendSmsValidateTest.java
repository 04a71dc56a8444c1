package com.dooneflow.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.spi.ParameterDescriptor;

/** What a Send SMS step can be told is wrong when the workflow is saved, not when it runs. */
class SendSmsValidateTest {

    /** Saving needs none of the action's services. */
    private final SendSmsAction action = new SendSmsAction(null, null, null, null);

    @Test
    void theBodysLimitIsInTheDescriptor() {
        ParameterDescriptor body = TypeFiles.read(SendSmsAction.class, SendSmsAction.TYPE).parameters().stream().filter(p -> p.name().equals("body"))
                .findFirst().orElseThrow();

        assertThat(body.maxLength()).isEqualTo(1600);
        assertThat(body.templatable()).isTrue();
    }

    @Test
    void itsParameterRecordFitsItsDescriptor() {
        TypeFiles.checkBinding(TypeFiles.read(SendSmsAction.class, SendSmsAction.TYPE), SendSmsAction.Params.class);
    }

    @Test
    void aWrittenOutRecipientMustBeAValidNumberWithItsCountryCode() {
        assertThat(action.validate("org-1", Map.of("to", "4155552671", "body", "Hi"))).singleElement()
                .satisfies(e -> {
                    assertThat(e.field()).isEqualTo("to");
                    assertThat(e.message()).contains("no country code");
                });
        assertThat(action.validate("org-1", Map.of("recipientType", "contact", "to", "+1415")))
                .extracting(FieldError::field).containsExactly("to");
        assertThat(action.validate("org-1", Map.of("to", "+1 (415) 555-2671"))).isEmpty();
    }

    @Test
    void aTemplateOrATeamMemberRecipientIsLeftToRunTime() {
        assertThat(action.validate("org-1", Map.of("to", "{contact_phone}"))).isEmpty();
        assertThat(action.validate("org-1", Map.of("to", "+1 {area} 555 0100"))).isEmpty();
        assertThat(action.validate("org-1", Map.of("recipientType", "team_member", "to", "12345"))).isEmpty();
        assertThat(action.validate("org-1", Map.of("body", "Hi"))).as("to defaults to {contact_phone}").isEmpty();
    }
}
