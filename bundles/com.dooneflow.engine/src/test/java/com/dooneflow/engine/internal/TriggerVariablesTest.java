package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.spi.ParameterType;

class TriggerVariablesTest {

    private static Map<String, Object> data(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void copiesEveryTopLevelFieldIntoANewMapInOrder() {
        Map<String, Object> nested = data("city", "Oslo");
        Map<String, Object> input = data("zeta", 1, "alpha", nested, "tags", List.of("a"));

        LinkedHashMap<String, Object> vars = TriggerVariables.from(input);

        assertThat(vars).containsExactly(Map.entry("zeta", 1), Map.entry("alpha", nested),
                Map.entry("tags", List.of("a")));
        assertThat(vars).isNotSameAs(input);
        vars.put("extra", "x");
        assertThat(input).doesNotContainKey("extra");
    }

    @Test
    void nullDataGivesAnEmptyMutableMap() {
        LinkedHashMap<String, Object> vars = TriggerVariables.from(null);
        assertThat(vars).isEmpty();
        vars.put("a", 1);
        assertThat(vars).containsEntry("a", 1);
    }

    @Test
    void derivesContactVariablesAndDoesNotChangeTheInput() {
        Map<String, Object> input = data("name", "Ann Lee", "phone", "+15551234567", "email", "ann@example.com");
        Map<String, Object> before = new LinkedHashMap<>(input);

        Map<String, Object> vars = TriggerVariables.from(input);

        assertThat(vars).containsEntry("contact_name", "Ann Lee")
                .containsEntry("contact_phone", "+15551234567")
                .containsEntry("contact_email", "ann@example.com")
                .containsEntry("name", "Ann Lee");
        assertThat(input).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "full_name", "fullName", "NAME", "Full_Name", "fullname", "FULLNAME"})
    void nameFromAnyNameFieldCaseInsensitive(String field) {
        assertThat(TriggerVariables.from(data(field, "Ann Lee"))).containsEntry("contact_name", "Ann Lee");
    }

    @Test
    void nameFieldsArePreferredInTheirOrder() {
        assertThat(TriggerVariables.from(data("fullName", "C", "full_name", "B", "name", "A", "first_name", "F")))
                .containsEntry("contact_name", "A");
        assertThat(TriggerVariables.from(data("fullName", "C", "full_name", "B", "first_name", "F")))
                .containsEntry("contact_name", "B");
        assertThat(TriggerVariables.from(data("fullName", "C", "first_name", "F")))
                .containsEntry("contact_name", "C");
    }

    @Test
    void exactCaseKeyWinsOverOtherSpellings() {
        assertThat(TriggerVariables.from(data("NAME", "Upper", "name", "Exact")))
                .containsEntry("contact_name", "Exact");
    }

    @Test
    void nameFromFirstAndLastName() {
        assertThat(TriggerVariables.from(data("first_name", "Ann", "last_name", "Lee")))
                .containsEntry("contact_name", "Ann Lee");
        assertThat(TriggerVariables.from(data("firstName", "Ann", "lastName", "Lee")))
                .containsEntry("contact_name", "Ann Lee");
        assertThat(TriggerVariables.from(data("FirstName", " Ann ", "LASTNAME", " Lee ")))
                .containsEntry("contact_name", "Ann Lee");
    }

    @Test
    void eitherFirstOrLastNameAloneIsTrimmed() {
        assertThat(TriggerVariables.from(data("first_name", "Ann"))).containsEntry("contact_name", "Ann");
        assertThat(TriggerVariables.from(data("lastName", "Lee"))).containsEntry("contact_name", "Lee");
    }

    @Test
    void blankOrNonTextNameFallsBackToFirstAndLast() {
        assertThat(TriggerVariables.from(data("name", "  ", "first_name", "Ann", "last_name", "Lee")))
                .containsEntry("contact_name", "Ann Lee");
        assertThat(TriggerVariables.from(data("name", Map.of("first", "X"), "first_name", "Ann")))
                .containsEntry("contact_name", "Ann");
        assertThat(TriggerVariables.from(data("name", null, "last_name", "Lee")))
                .containsEntry("contact_name", "Lee");
    }

    @ParameterizedTest
    @ValueSource(strings = {"phone", "phone_number", "phoneNumber", "mobile", "PHONE", "Phone_Number", "Mobile"})
    void phoneFromAnyPhoneField(String field) {
        assertThat(TriggerVariables.from(data(field, "+15551234567")))
                .containsEntry("contact_phone", "+15551234567");
    }

    @Test
    void phoneFieldsArePreferredInTheirOrder() {
        assertThat(TriggerVariables.from(data("mobile", "4", "phoneNumber", "3", "phone_number", "2", "phone", "1")))
                .containsEntry("contact_phone", "1");
        assertThat(TriggerVariables.from(data("mobile", "4", "phoneNumber", "3")))
                .containsEntry("contact_phone", "3");
    }

    @Test
    void numericContactValuesAreConvertedOnlyForContactVariables() {
        Map<String, Object> vars = TriggerVariables.from(data("phone", 15551234567L, "name", 42));

        assertThat(vars.get("contact_phone")).isEqualTo("15551234567");
        assertThat(vars.get("contact_name")).isEqualTo("42");
        assertThat(vars.get("phone")).isEqualTo(15551234567L);
        assertThat(vars.get("name")).isEqualTo(42);
    }

    @ParameterizedTest
    @ValueSource(strings = {"email", "email_address", "emailAddress", "EMAIL", "Email_Address", "emailaddress"})
    void emailFromAnyEmailField(String field) {
        assertThat(TriggerVariables.from(data(field, "ann@example.com")))
                .containsEntry("contact_email", "ann@example.com");
    }

    @Test
    void existingContactVariablesAreNeverOverwritten() {
        Map<String, Object> vars = TriggerVariables.from(data("contact_name", "Given", "name", "Derived",
                "contact_phone", null, "phone", "+1555", "contact_email", 7, "email", "a@b.c"));

        assertThat(vars).containsEntry("contact_name", "Given")
                .containsEntry("contact_phone", null)
                .containsEntry("contact_email", 7);
    }

    @Test
    void contactVariablesWithoutSourceAreLeftOutSoTemplatesReportThem() {
        Map<String, Object> vars = TriggerVariables.from(data("company", "Acme", "enabled", true, "phone", true));

        assertThat(vars).doesNotContainKeys("contact_name", "contact_phone", "contact_email");
        assertThat(Templates.render("{contact_name}", ParameterType.TEXT, vars).unknownVariables())
                .containsExactly("contact_name");
    }

    @Test
    void worksWithUnmodifiableAndHashMaps() {
        assertThat(TriggerVariables.from(Map.of("Email", "x@y.z"))).containsEntry("contact_email", "x@y.z");
        Map<String, Object> hash = new HashMap<>();
        hash.put(null, "ignored");
        hash.put("Phone", "+1");
        assertThat(TriggerVariables.from(hash)).containsEntry("contact_phone", "+1");
    }

    @Test
    void feedsTheGuideSmsTemplate() {
        Map<String, Object> vars = TriggerVariables.from(data("first_name", "Ann", "last_name", "Lee",
                "phone_number", "+15551234567"));
        vars.put("team_member_name", "Bob");
        vars.put("team_member_id", 12);

        Templates.Rendered r = Templates.render(
                "Hi {team_member_name}, new contact assigned: {contact_name} ({contact_phone}). Contact ID: {team_member_id}",
                ParameterType.TEXT, vars);

        assertThat(r.value()).isEqualTo("Hi Bob, new contact assigned: Ann Lee (+15551234567). Contact ID: 12");
        assertThat(r.unknownVariables()).isEmpty();
    }
}
