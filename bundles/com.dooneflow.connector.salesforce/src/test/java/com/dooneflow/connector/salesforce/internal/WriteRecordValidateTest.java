package com.dooneflow.connector.salesforce.internal;

import static com.dooneflow.connector.salesforce.internal.Fakes.params;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.api.spi.ParameterDescriptor;

/** What each endpoint type and operation needs, told when the workflow is saved. */
class WriteRecordValidateTest {

    /** Saving needs none of the action's services. */
    private final WriteRecordAction action = new WriteRecordAction(null, null);

    private List<FieldError> validate(Object... pairs) {
        return action.validate("org-1", params(pairs));
    }

    private ParameterDescriptor parameter(String name) {
        return TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE).parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void idsAndFieldNamesHaveTheirPatternsInTheDescriptor() {
        Pattern recordId = Pattern.compile(parameter("recordId").pattern());
        assertThat(recordId.matcher("00Q5e00000AbCdE").matches()).isTrue();
        assertThat(recordId.matcher("00Q5e00000AbCdEFGH").matches()).isTrue();
        assertThat(recordId.matcher("00Q5e00000AbCdE/..").matches()).isFalse();
        assertThat(parameter("recordId").templatable()).as("checked at save only when written out").isTrue();
        Pattern field = Pattern.compile(parameter("externalIdField").pattern());
        assertThat(field.matcher("External_Id__c").matches()).isTrue();
        assertThat(field.matcher("Email__c/x").matches()).isFalse();
    }

    @Test
    void validWritesOfEachKindPass() {
        Map<String, Object> lead = Map.of("LastName", "{contact_name}");
        assertThat(validate("object", "Lead", "payload", lead)).isEmpty();
        assertThat(validate("object", "Lead", "operation", "update", "recordId", "{salesforce_id}", "payload", lead))
                .isEmpty();
        assertThat(validate("object", "Lead", "operation", "upsert", "externalIdField", "Email__c",
                "externalId", "{contact_email}", "payload", "{record}")).isEmpty();
        assertThat(validate("endpointType", "apex", "object", "/LeadIntake/v1")).as("apex needs no payload").isEmpty();
    }

    @Test
    void anObjectWriteNeedsAnObjectNameAndAnObjectPayload() {
        assertThat(validate("object", "Lead; DROP", "payload", Map.of())).containsExactly(
                new FieldError("object", "must be an object API name such as Lead or Invoice__c"));
        assertThat(validate("object", "Lead")).containsExactly(
                new FieldError("payload", "is required to write an object: its fields as a JSON object"));
        assertThat(validate("object", "Lead", "payload", List.of(1))).extracting(FieldError::field)
                .containsExactly("payload");
        assertThat(validate("object", "Lead", "payload", "Name: {contact_name}")).extracting(FieldError::field)
                .containsExactly("payload");
    }

    @Test
    void updateNeedsARecordIdAndUpsertAnExternalIdAndItsField() {
        assertThat(validate("object", "Lead", "operation", "update", "payload", Map.of())).containsExactly(
                new FieldError("recordId", "is required to update: the id of the record"));
        assertThat(validate("object", "Lead", "operation", "upsert", "payload", Map.of())).extracting(FieldError::field)
                .containsExactly("externalIdField", "externalId");
        assertThat(validate("object", "Lead", "operation", "upsert", "externalIdField", "Email__c",
                "externalId", "..", "payload", Map.of())).containsExactly(
                new FieldError("externalId", "cannot be '.' or '..'"));
    }

    @Test
    void anApexPathMayNotLeaveApexRest() {
        assertThat(validate("endpointType", "apex", "object", "../../services/data")).containsExactly(
                new FieldError("object", "must be an Apex REST path such as LeadIntake or v1/leads"));
    }
}
