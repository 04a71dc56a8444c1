package com.dooneflow.connector.twilio.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.dooneflow.api.Role;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.testing.Callers;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.dooneflow.testing.InMemoryStepJournal;
import com.dooneflow.testing.RecordingEventLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * What the connector sends, checked against Twilio's own OpenAPI description of the 2010-04-01 API
 * (twilio/twilio-oai, test resource twilio-oai/twilio_api_v2010.json): every form field we send is a parameter of
 * the operation, every required one is there, and the method and path are the operation's.
 */
class TwilioContractTest {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static JsonNode contract;

    private final InMemoryConnectorSettings store = new InMemoryConnectorSettings();
    private final TwilioSettings settings = new TwilioSettings(store);
    private final TwilioApi api = new TwilioApi(twilio.baseUrl(), "https://flows.example.com", Duration.ofSeconds(2));

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = TwilioContractTest.class.getResourceAsStream("/twilio-oai/twilio_api_v2010.json")) {
            contract = new ObjectMapper().readTree(in);
        }
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void theMessageCreateRequestMatchesTwilioContract() {
        twilio.stubFor(post(TwilioWire.MESSAGES).willReturn(TwilioWire.created("+14155550123", "Hi", "1", null)));
        SendSmsAction action = new SendSmsAction(settings, api, new InMemoryStepJournal(), new RecordingEventLog(),
                java.time.Clock.systemUTC());
        Map<String, Object> params = new HashMap<>(Map.of("recipientType", "contact", "to", "+14155550123", "body", "Hi"));

        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null));
        assertThat(action.execute(Fakes.context("exec-a", 1, params, Map.of()))).isInstanceOf(ActionResult.Ok.class);
        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, null, null, Fakes.SERVICE_SID));
        assertThat(action.execute(Fakes.context("exec-b", 1, params, Map.of()))).isInstanceOf(ActionResult.Ok.class);

        JsonNode operation = contract.path("paths").path("/2010-04-01/Accounts/{AccountSid}/Messages.json").path("post");
        assertThat(operation.path("operationId").asText()).isEqualTo("CreateMessage");
        JsonNode schema = operation.path("requestBody").path("content").path("application/x-www-form-urlencoded")
                .path("schema");
        Set<String> known = new HashSet<>();
        schema.path("properties").fieldNames().forEachRemaining(known::add);
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        assertThat(known).contains("To", "From", "MessagingServiceSid", "Body", "StatusCallback");

        assertThat(twilio.getAllServeEvents()).hasSize(2);
        for (var event : twilio.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            assertThat(request.getMethod().getName()).isEqualTo("POST");
            assertThat(request.getUrl()).matches("/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages\\.json");
            assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
            Map<String, String> form = TwilioForms.parse(request.getBodyAsString());
            assertThat(known).containsAll(form.keySet());
            assertThat(form.keySet()).containsAll(required);
            // Twilio's rule beside the schema: a sender (From or MessagingServiceSid) and a Body or media.
            assertThat(form.containsKey("From") ^ form.containsKey("MessagingServiceSid")).isTrue();
            assertThat(form).containsKey("Body");
            assertThat(form.get("StatusCallback")).startsWith("https://");
        }
        JsonNode createdSchema = operation.path("responses").path("201").path("content").path("application/json")
                .path("schema");
        assertThat(createdSchema.isMissingNode()).isFalse();
    }

    @Test
    void theLookupAfterAnUnansweredAttemptUsesTheMessageListAsTwilioDescribesIt() {
        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null));
        twilio.stubFor(get(urlPathEqualTo(TwilioWire.MESSAGES)).willReturn(TwilioWire.list("+14155550123", "Hi")));
        InMemoryStepJournal journal = new InMemoryStepJournal();
        journal.put("exec-c", 0, SendSmsAction.SEND_NOTE, Map.of("state", "no_answer", "to", "+14155550123",
                "startedAt", java.time.Instant.now().toString(), "organizationId", Fakes.ORG));
        SendSmsAction action = new SendSmsAction(settings, api, journal, new RecordingEventLog(), java.time.Clock.systemUTC());
        Map<String, Object> params = Map.of("recipientType", "contact", "to", "+14155550123", "body", "Hi");
        assertThat(action.execute(Fakes.context("exec-c", 2, params, Map.of()))).isInstanceOf(ActionResult.Ok.class);

        JsonNode operation = contract.path("paths").path("/2010-04-01/Accounts/{AccountSid}/Messages.json").path("get");
        assertThat(operation.path("operationId").asText()).isEqualTo("ListMessage");
        Set<String> queryParameters = new HashSet<>();
        operation.path("parameters").forEach(p -> {
            if ("query".equals(p.path("in").asText())) {
                queryParameters.add(p.path("name").asText());
            }
        });
        LoggedRequest request = twilio.getAllServeEvents().get(0).getRequest();
        assertThat(request.getMethod().getName()).isEqualTo("GET");
        assertThat(request.getQueryParams().keySet()).isNotEmpty();
        assertThat(queryParameters).containsAll(request.getQueryParams().keySet());
        assertThat(request.getQueryParams().get("To").firstValue()).isEqualTo("+14155550123");
    }

    @Test
    void theAccountCheckFetchesTheAccountAsTwilioDescribesIt() {
        settings.save(Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null));
        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.account("active")));
        new TwilioSettingsResource(new InMemoryOrganizationService().grant("owner", Fakes.ORG, Role.OWNER), settings, api)
                .test(Callers.as("owner"), Fakes.ORG);

        JsonNode operation = contract.path("paths").path("/2010-04-01/Accounts/{Sid}.json").path("get");
        assertThat(operation.path("operationId").asText()).isEqualTo("FetchAccount");
        LoggedRequest request = twilio.getAllServeEvents().get(0).getRequest();
        assertThat(request.getMethod().getName()).isEqualTo("GET");
        assertThat(request.getUrl()).isEqualTo("/2010-04-01/Accounts/" + Fakes.ACCOUNT_SID + ".json");
    }
}
