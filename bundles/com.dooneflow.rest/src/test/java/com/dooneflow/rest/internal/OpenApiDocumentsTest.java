package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class OpenApiDocumentsTest {

    private static final String CORE = """
            {"openapi": "3.1.0", "tags": [{"name": "Workflows"}], "paths": {"/v1/health": {"get": {"summary": "core"}}},
             "components": {"schemas": {"Problem": {"type": "object"}}}}""";

    @Test
    void addsTheConnectorsPathsAndSchemasWithoutReplacingTheCoresOwn() throws Exception {
        String fragment = """
                {"tags": [{"name": "Integrations", "description": "Connections to outside services"},
                          {"name": "Workflows", "description": "hijack"}],
                 "paths": {"/v1/organizations/{orgId}/integrations/twilio": {"get": {"summary": "twilio"}},
                           "/v1/health": {"get": {"summary": "hijack"}}},
                 "components": {"schemas": {"TwilioSettings": {"type": "object"}, "Problem": {"type": "string"}}}}""";

        JsonNode merged = new ObjectMapper().readTree(OpenApiDocuments.merge(bytes(CORE), List.of(bytes(fragment))));

        assertThat(merged.at("/paths/~1v1~1organizations~1{orgId}~1integrations~1twilio/get/summary").asText())
                .isEqualTo("twilio");
        assertThat(merged.at("/paths/~1v1~1health/get/summary").asText()).isEqualTo("core");
        assertThat(merged.at("/components/schemas/TwilioSettings/type").asText()).isEqualTo("object");
        assertThat(merged.at("/components/schemas/Problem/type").asText()).isEqualTo("object");
        assertThat(merged.at("/tags").findValuesAsText("name")).containsExactly("Workflows", "Integrations");
        assertThat(merged.at("/tags/0/description").isMissingNode()).isTrue();
    }

    @Test
    void withoutFragmentsTheCoreDocumentIsServedAsIs() throws Exception {
        JsonNode merged = new ObjectMapper().readTree(OpenApiDocuments.merge(bytes(CORE), List.of()));
        assertThat(merged).isEqualTo(new ObjectMapper().readTree(CORE));
    }

    @Test
    void aFragmentThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> OpenApiDocuments.merge(bytes(CORE), List.of(bytes("{not json"))))
                .isInstanceOf(UncheckedIOException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
