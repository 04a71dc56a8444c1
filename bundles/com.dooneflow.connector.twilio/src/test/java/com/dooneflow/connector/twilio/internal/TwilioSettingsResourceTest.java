package com.dooneflow.connector.twilio.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.dooneflow.testing.Callers;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryOrganizationService;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** The settings resource as the REST layer calls it, with the core's exceptions as its answers. */
class TwilioSettingsResourceTest {

    @RegisterExtension
    static WireMockExtension twilio = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final InMemoryConnectorSettings store = new InMemoryConnectorSettings();
    private final TwilioSettings settings = new TwilioSettings(store);
    private final InMemoryOrganizationService organizations = new InMemoryOrganizationService()
            .grant("owner", Fakes.ORG, Role.OWNER).grant("admin", Fakes.ORG, Role.ADMIN)
            .grant("member", Fakes.ORG, Role.MEMBER).grant("stranger", "org-2", Role.OWNER);
    private final TwilioApi api = new TwilioApi(twilio.baseUrl(), "https://flows.example.com", Duration.ofSeconds(2));
    private final TwilioSettingsResource resource = new TwilioSettingsResource(organizations, settings, api);
    private final SecurityContext owner = Callers.as("owner");

    @AfterEach
    void close() {
        api.close();
    }

    private Map<String, Object> putValid() {
        return resource.put(owner, Fakes.ORG, new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null));
    }

    @Test
    void theTokenIsStoredAsASecretAndComesBackOnlyAsAuthTokenSet() {
        Map<String, Object> saved = putValid();

        assertThat(saved).containsEntry("accountSid", Fakes.ACCOUNT_SID).containsEntry("authTokenSet", true)
                .containsEntry("phoneNumber", Fakes.FROM).doesNotContainKeys("authToken", "messagingServiceSid");
        assertThat(saved.toString()).doesNotContain(Fakes.TOKEN);
        assertThat(store.entries()).singleElement().satisfies(e -> assertThat(e.data().toString())
                .doesNotContain(Fakes.TOKEN));
        assertThat(resource.get(Callers.as("member"), Fakes.ORG)).isEqualTo(saved);

        // Changing the sender keeps the token when it is left out.
        Map<String, Object> changed = resource.put(owner, Fakes.ORG,
                new TwilioSettingsInput(Fakes.ACCOUNT_SID, null, null, Fakes.SERVICE_SID));
        assertThat(changed).containsEntry("messagingServiceSid", Fakes.SERVICE_SID).doesNotContainKey("phoneNumber")
                .containsEntry("authTokenSet", true);
        assertThat(settings.account(Fakes.ORG).orElseThrow().authToken()).isEqualTo(Fakes.TOKEN);
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsWritten() {
        ValidationException e = catchValidation(new TwilioSettingsInput("AC123", null, "555-1234", Fakes.SERVICE_SID));
        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("accountSid", "authToken",
                "messagingServiceSid");
        assertThat(message(e, "accountSid")).contains("'AC' followed by 32 hexadecimal characters");
        assertThat(message(e, "messagingServiceSid")).contains("exactly one of phoneNumber and messagingServiceSid");

        ValidationException phone = catchValidation(new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, "+1555", null));
        assertThat(message(phone, "phoneNumber")).contains("not a valid phone number");
        ValidationException service = catchValidation(new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, null, "MGxyz"));
        assertThat(message(service, "messagingServiceSid")).contains("'MG' followed by 32 hexadecimal characters");
        ValidationException neither = catchValidation(new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, null, " "));
        assertThat(message(neither, "phoneNumber")).contains("exactly one");
        assertThat(store.writes()).isZero();

        putValid();
        ValidationException empty = catchValidation(new TwilioSettingsInput(Fakes.ACCOUNT_SID, "", Fakes.FROM, null));
        assertThat(message(empty, "authToken")).contains("leave it out to keep the stored token");
        String otherAccount = "AC" + "f".repeat(32);
        ValidationException newAccount = catchValidation(new TwilioSettingsInput(otherAccount, null, Fakes.FROM, null));
        assertThat(message(newAccount, "authToken")).contains("whenever accountSid changes");
        assertThat(store.writes()).isEqualTo(1);
    }

    @Test
    void membersMayReadButNotChangeAndOtherOrganizationsDoNotExist() {
        putValid();
        TwilioSettingsInput input = new TwilioSettingsInput(Fakes.ACCOUNT_SID, Fakes.TOKEN, Fakes.FROM, null);
        SecurityContext member = Callers.as("member");
        assertThatThrownBy(() -> resource.put(member, Fakes.ORG, input)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.delete(member, Fakes.ORG)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> resource.test(member, Fakes.ORG)).isInstanceOf(ForbiddenException.class);
        assertThat(resource.get(member, Fakes.ORG)).containsEntry("accountSid", Fakes.ACCOUNT_SID);

        SecurityContext stranger = Callers.as("stranger");
        assertThatThrownBy(() -> resource.get(stranger, Fakes.ORG)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.put(stranger, Fakes.ORG, input)).isInstanceOf(NotFoundException.class);
        // The stranger's own organization has no Twilio account: 404, not someone else's.
        assertThatThrownBy(() -> resource.get(stranger, "org-2")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("not configured");

        assertThat(resource.put(Callers.as("admin"), Fakes.ORG, input)).containsEntry("authTokenSet", true);
        assertThat(resource.delete(Callers.as("admin"), Fakes.ORG).getStatus()).isEqualTo(204);
        assertThat(store.vault().all()).isEmpty();
        assertThatThrownBy(() -> resource.get(owner, Fakes.ORG)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.delete(owner, Fakes.ORG)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theTestCallFetchesTheAccountAndExplainsTheOutcome() throws Exception {
        assertThatThrownBy(() -> resource.test(owner, Fakes.ORG)).isInstanceOf(NotFoundException.class);
        putValid();

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.account("active")));
        Map<String, Object> ok = resource.test(owner, Fakes.ORG);
        assertThat(ok).containsEntry("result", "ok").containsEntry("accountName", "Acme Sales");
        assertThat(ok.get("message").toString()).contains("active");
        assertThat(twilio.getAllServeEvents().get(0).getRequest().getHeader("Authorization")).startsWith("Basic ");

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.account("suspended")));
        assertThat(resource.test(owner, Fakes.ORG)).containsEntry("result", "account_inactive");

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.error(401, 20003, "Authenticate")));
        Map<String, Object> wrong = resource.test(owner, Fakes.ORG);
        assertThat(wrong).containsEntry("result", "wrong_credentials").containsEntry("twilioCode", 20003);
        assertThat(wrong.get("message").toString()).contains("refused the Auth Token").doesNotContain(Fakes.TOKEN);

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.error(404, 20404,
                "The requested resource /2010-04-01/Accounts/" + Fakes.ACCOUNT_SID + ".json was not found")));
        Map<String, Object> unknown = resource.test(owner, Fakes.ORG);
        assertThat(unknown).containsEntry("result", "unknown_account");
        assertThat(unknown.get("message").toString()).contains("has no account with SID " + Fakes.ACCOUNT_SID);

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(resource.test(owner, Fakes.ORG)).containsEntry("result", "unreachable");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        TwilioApi nowhere = new TwilioApi("http://127.0.0.1:" + closed, "https://flows.example.com", Duration.ofSeconds(2));
        Map<String, Object> unreachable = new TwilioSettingsResource(organizations, settings, nowhere).test(owner, Fakes.ORG);
        assertThat(unreachable).containsEntry("result", "unreachable");
        assertThat(unreachable.get("message").toString()).contains("could not be reached at http://127.0.0.1:" + closed);
        nowhere.close();
    }

    @Test
    void theLastTestIsShownWithTheAccountUntilItsCredentialsAreSavedAgain() throws Exception {
        putValid();
        assertThat(resource.get(owner, Fakes.ORG)).doesNotContainKey("verification");

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.account("active")));
        resource.test(owner, Fakes.ORG);
        Map<String, Object> verified = resource.get(owner, Fakes.ORG);
        assertThat(verified).containsEntry("verification", "verified").containsKey("checkedAt")
                .containsEntry("authTokenSet", true);

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        resource.test(owner, Fakes.ORG); // unreachable checks nothing: the last verdict stands
        assertThat(resource.get(owner, Fakes.ORG)).containsEntry("verification", "verified");

        twilio.stubFor(get(TwilioWire.ACCOUNT).willReturn(TwilioWire.error(401, 20003, "Authenticate")));
        resource.test(owner, Fakes.ORG);
        assertThat(resource.get(owner, Fakes.ORG)).containsEntry("verification", "wrong credentials");

        putValid(); // new credentials are not verified yet
        assertThat(resource.get(owner, Fakes.ORG)).doesNotContainKey("verification");
    }

    private ValidationException catchValidation(TwilioSettingsInput input) {
        try {
            resource.put(owner, Fakes.ORG, input);
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("expected a validation error for " + input);
    }

    private static String message(ValidationException e, String field) {
        return e.errors().stream().filter(f -> f.field().equals(field)).map(FieldError::message).findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + field + " in " + e.errors()));
    }
}
