package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** A change's summary names the fields it set and never holds a secret's value. */
class AuditSummaryTest {

    private static String summary(String body, Set<String> secretFields) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return AuditSummary.of(bytes, bytes.length, secretFields);
    }

    @Test
    void secretFieldsAreOnlyNamedAsChanged() {
        String s = summary("{\"accountSid\":\"AC123\",\"authToken\":\"tok-CANARY-1\",\"phoneNumber\":\"+14155552671\"}",
                Set.of());
        assertThat(s).isEqualTo("fields accountSid, phoneNumber; authToken changed").doesNotContain("CANARY");
    }

    @Test
    void aSettingsDescriptorsSecretFieldIsSecretWhateverItsName() {
        assertThat(summary("{\"name\":\"Prod\",\"pin\":\"4711\"}", Set.of("pin")))
                .isEqualTo("fields name; pin changed").doesNotContain("4711");
    }

    @Test
    void nestedSecretsAreNamedByTheirPathAndOtherNestedFieldsNotAtAll() {
        String s = summary("{\"name\":\"Lead\",\"enabled\":true,\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":"
                + "\"x\"}},\"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"https://e.com\","
                + "\"signingSecret\":\"whsec_CANARY\"}}]}", Set.of());
        assertThat(s).isEqualTo("fields name, enabled=true, trigger, actions; actions[0].params.signingSecret changed")
                .doesNotContain("CANARY");
    }

    @Test
    void aFewHarmlessValuesAreShown() {
        assertThat(summary("{\"email\":\"ann@example.com\",\"role\":\"admin\"}", Set.of()))
                .isEqualTo("fields email, role=admin");
        assertThat(summary("{\"currentPassword\":\"old-CANARY\",\"password\":\"new-CANARY\"}", Set.of()))
                .isEqualTo("currentPassword changed; password changed");
    }

    @Test
    void aBodyCutShortGivesTheFieldsSeenAndNoBodyGivesNone() {
        byte[] bytes = "{\"name\":\"A\",\"enabled\":false,\"act".getBytes(StandardCharsets.UTF_8);
        assertThat(AuditSummary.of(bytes, bytes.length, Set.of())).isEqualTo("fields name, enabled=false");
        assertThat(AuditSummary.of(new byte[0], 0, Set.of())).isNull();
        assertThat(summary("[1,2]", Set.of())).isNull();
    }
}
