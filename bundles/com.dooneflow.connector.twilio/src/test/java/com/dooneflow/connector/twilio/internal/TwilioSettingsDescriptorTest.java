package com.dooneflow.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TypeFiles;

/** The settings page the console renders must write exactly the body the resource reads. */
class TwilioSettingsDescriptorTest {

    private final SettingsDescriptor page = TypeFiles.readSettings(TwilioSettingsResource.class, "twilio");

    @Test
    void itsFieldsAreTheBodyOfThePutAndTheTokenIsSecret() {
        assertThat(page.entries()).isEqualTo(SettingsDescriptor.Entries.SINGLE);
        assertThat(page.resource()).isEqualTo("v1/organizations/{orgId}/integrations/twilio");
        assertThat(page.fields()).extracting(ParameterDescriptor::name).containsExactlyElementsOf(
                Arrays.stream(TwilioSettingsInput.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(page.fields()).filteredOn(ParameterDescriptor::secret).extracting(ParameterDescriptor::name)
                .containsExactly("authToken");
        assertThat(page.actions()).extracting(SettingsDescriptor.Action::path).containsExactly("test");
    }

    @Test
    void itsPatternsAreTheOnesTheResourceEnforces() {
        String sid = "AC" + "0123456789abcdef".repeat(2);
        assertThat(field("accountSid").pattern()).isNotNull();
        assertThat(sid).matches(field("accountSid").pattern());
        assertThat("MG" + sid.substring(2)).matches(field("messagingServiceSid").pattern());
        assertThat("AC123").doesNotMatch(field("accountSid").pattern());
    }

    private ParameterDescriptor field(String name) {
        return page.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
