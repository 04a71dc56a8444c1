package com.dooneflow.connector.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TypeFiles;

/** The settings page the console renders must write exactly the body the resource reads. */
class SalesforceSettingsDescriptorTest {

    private final SettingsDescriptor page = TypeFiles.readSettings(SalesforceConnectionResource.class, "salesforce");

    @Test
    void namedConnectionsWithTheFieldsOfTheBodyAConnectButtonAndTheirStatus() {
        assertThat(page.entries()).isEqualTo(SettingsDescriptor.Entries.MANY);
        assertThat(page.resource()).isEqualTo("v1/organizations/{orgId}/integrations/salesforce");
        assertThat(page.fields()).extracting(ParameterDescriptor::name).containsExactlyElementsOf(
                Arrays.stream(ConnectionBody.class.getRecordComponents()).map(RecordComponent::getName).toList());
        assertThat(page.fields()).filteredOn(ParameterDescriptor::secret).extracting(ParameterDescriptor::name)
                .containsExactly("clientSecret");
        assertThat(page.shows()).extracting(OutputDescriptor::name).containsExactly("status");
        assertThat(page.actions()).singleElement().satisfies(a -> {
            assertThat(a.path()).isEqualTo("connect");
            assertThat(a.kind()).isEqualTo(SettingsDescriptor.Action.Kind.OAUTH);
        });
    }
}
