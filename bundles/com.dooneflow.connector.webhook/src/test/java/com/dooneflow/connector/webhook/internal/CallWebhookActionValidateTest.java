package com.dooneflow.connector.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.testing.outbound.TestOutboundHttp;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;

/** What fails when a workflow is saved rather than when it runs: the descriptor's constraints and the hook. */
class CallWebhookActionValidateTest {

    private final TestOutboundHttp http = TestOutboundHttp.allowing("");
    private final CallWebhookAction action = new CallWebhookAction(http, Clock.systemUTC());

    @AfterEach
    void close() throws Exception {
        http.close();
    }

    private ParameterDescriptor parameter(String name) {
        return TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE).parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private List<FieldError> validate(String name, Object value) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("url", "https://example.com/hooks");
        params.put(name, value);
        return action.validate("org-1", params);
    }

    private List<FieldError> headers(String name, Object value) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(name, value);
        return validate("headers", headers);
    }

    @Test
    void theDescriptorCarriesTheUrlTypeTheTimeoutRangeAndTheSecretsShape() {
        assertThat(parameter("url").type()).isEqualTo(ParameterType.URL);
        assertThat(parameter("url").templatable()).isTrue();
        assertThat(parameter("timeoutSeconds").min()).isEqualTo(1L);
        assertThat(parameter("timeoutSeconds").max()).isEqualTo(120L);
        Pattern secret = Pattern.compile(parameter("signingSecret").pattern());
        assertThat(secret.matcher(StandardWebhooksTest.SECRET).matches()).isTrue();
        assertThat(secret.matcher("whsec_***").matches()).isFalse();
        assertThat(secret.matcher("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").matches()).as("without whsec_").isFalse();
        assertThat(parameter("signingSecret").patternMessage()).doesNotContain("{").contains("whsec_");
    }

    @Test
    void usualHeadersAndAValidSecretPass() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("url", "https://example.com/hooks/{id}");
        params.put("headers", Map.of("X-Tenant", "acme", "Authorization", "Bearer {token}", "X-Count", 3));
        params.put("signingSecret", StandardWebhooksTest.SECRET);
        params.put("timeoutSeconds", 30);

        assertThat(action.validate("org-1", params)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A\r\nX-Injected", "X-A\nB", "Bad Name", "", "X:Colon"})
    void anInvalidHeaderNameIsRefused(String name) {
        assertThat(headers(name, "1")).containsExactly(
                new FieldError("headers", "'" + name + "' is not a valid header name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "Connection", "Idempotency-Key",
            "webhook-signature"})
    void headersTheClientOrTheActionSetAreRefused(String name) {
        assertThat(headers(name, "x")).containsExactly(
                new FieldError("headers", "the header " + name + " is set by DooneFlow itself"));
    }

    @Test
    void aValueWithALineBreakOrAStructureIsRefused() {
        assertThat(headers("X-A", "1\r\nX-Injected: 1")).containsExactly(
                new FieldError("headers", "the value of header X-A contains a line break"));
        assertThat(headers("X-A", Map.of("k", "v"))).containsExactly(
                new FieldError("headers", "the value of header X-A must be text, a number or true/false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"whsec_", "whsec_A", "whsec_****", "whsec_=="})
    void aSecretThatGivesNoKeyIsRefusedWithoutRepeatingIt(String secret) {
        assertThat(validate("signingSecret", secret)).containsExactly(new FieldError("signingSecret",
                "is not a valid whsec_ secret: the part after whsec_ must be Base64 of at least one byte"));
    }

    @Test
    void anEmptySecretClearsItAndIsNotChecked() {
        assertThat(validate("signingSecret", "")).isEmpty();
    }
}
