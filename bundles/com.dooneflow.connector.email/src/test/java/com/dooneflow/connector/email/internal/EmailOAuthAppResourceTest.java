package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.testing.Callers;
import com.dooneflow.testing.InMemoryConnectorSettings;
import com.dooneflow.testing.InMemoryDedupeStore;
import com.dooneflow.testing.InMemoryLeaseService;
import com.dooneflow.testing.RecordingEventLog;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/**
 * The organization's OAuth apps and OAuth inboxes through REST: presets, validation naming fields, roles, other
 * organizations, the write-only secret, and what Connect sends the browser to for Microsoft 365 and Google.
 */
class EmailOAuthAppResourceTest {

    InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    EmailPollers pollers;
    EmailOAuthAppResource apps;
    EmailInboxResource inboxes;

    @BeforeEach
    void start() throws Exception {
        EmailPollers.Settings s = new EmailPollers.Settings(1_000_000, null, new OutboundGuard(""), 3600, 3_600_000,
                EmailPollersTest.NO_IDLE, Duration.ofSeconds(1500), "https://flows.example.com/");
        pollers = new EmailPollers(new DefaultCamelContext(), new InboxStore(settings), new EmailTrigger(),
                new InMemoryLeaseService(Clock.systemUTC(), "n"), new InMemoryDedupeStore(), new RecordingEventLog(),
                s, Clock.systemUTC(), TestOutboundHttp.loopback());
        apps = new EmailOAuthAppResource(EmailInboxResourceTest.organizations(), pollers);
        inboxes = new EmailInboxResource(EmailInboxResourceTest.organizations(), pollers, s);
    }

    @AfterEach
    void stop() {
        pollers.close();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> create(String user, String org, Map<String, Object> body) {
        Response r = apps.create(Callers.as(user), org, new HashMap<>(body));
        assertThat(r.getStatus()).isEqualTo(201);
        return (Map<String, Object>) r.getEntity();
    }

    @Test
    void theMicrosoftPresetFillsEndpointsScopesAndServerAndConnectAsksForConsentWithPkce() {
        Map<String, Object> app = create("alice", "org-a", Map.of("provider", "microsoft", "clientId", "11111111-aaaa",
                "clientSecret", "s3cret-value", "tenant", "contoso.onmicrosoft.com"));
        assertThat(app).containsEntry("id", "microsoft").containsEntry("clientSecretSet", true)
                .containsEntry("authorizeUrl",
                        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize")
                .containsEntry("tokenUrl", "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")
                .containsEntry("scopes", "https://outlook.office.com/IMAP.AccessAsUser.All offline_access")
                .containsEntry("redirectUri",
                        "https://flows.example.com/v1/organizations/org-a/email-inboxes/oauth/callback");
        assertThat(app.toString()).doesNotContain("s3cret-value");
        assertThat(settings.vault().all()).containsValue("s3cret-value");

        @SuppressWarnings("unchecked")
        Map<String, Object> inbox = (Map<String, Object>) inboxes.create(Callers.as("alice"), "org-a", new HashMap<>(
                Map.of("emailAddress", "sales@contoso.com", "auth", "oauth2", "oauthProvider", "microsoft")))
                .getEntity();
        assertThat(inbox).containsEntry("host", "outlook.office365.com").containsEntry("port", 993)
                .containsEntry("security", "ssl").containsEntry("username", "sales@contoso.com")
                .containsEntry("authStatus", "not_connected").containsEntry("passwordSet", false);

        String url = (String) inboxes.connect(Callers.as("alice"), "org-a", (String) inbox.get("id")).get("authorizeUrl");
        assertThat(url).startsWith("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?"
                + "response_type=code&client_id=11111111-aaaa&redirect_uri=https%3A%2F%2Fflows.example.com%2Fv1%2F"
                + "organizations%2Forg-a%2Femail-inboxes%2Foauth%2Fcallback&scope=https%3A%2F%2Foutlook.office.com%2F"
                + "IMAP.AccessAsUser.All+offline_access&state=" + inbox.get("id") + ".")
                .contains("&code_challenge_method=S256", "&login_hint=sales%40contoso.com");
        assertThat(pollers.pollNow((String) inbox.get("id"))).as("not polled before consent").isEmpty();
    }

    @Test
    void theGooglePresetAsksForOfflineAccessAndConsent() {
        create("alice", "org-a", Map.of("provider", "google", "clientId", "123.apps.googleusercontent.com",
                "clientSecret", "GOCSPX-x"));
        @SuppressWarnings("unchecked")
        Map<String, Object> inbox = (Map<String, Object>) inboxes.create(Callers.as("alice"), "org-a", new HashMap<>(
                Map.of("emailAddress", "ops@example.com", "auth", "oauth2", "oauthProvider", "google"))).getEntity();
        assertThat(inbox).containsEntry("host", "imap.gmail.com");

        String url = (String) inboxes.connect(Callers.as("alice"), "org-a", (String) inbox.get("id")).get("authorizeUrl");
        assertThat(url).startsWith("https://accounts.google.com/o/oauth2/v2/auth?response_type=code")
                .contains("scope=https%3A%2F%2Fmail.google.com%2F", "&access_type=offline&prompt=consent");
    }

    @Test
    void badBodiesNameTheirFieldsAndAProviderHasOneApp() {
        assertThatThrownBy(() -> apps.create(Callers.as("alice"), "org-a", new HashMap<>(Map.of("provider",
                "generic", "clientId", "c", "clientSecret", "s", "authorizeUrl", "ftp://x", "password", "p"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("password", "authorizeUrl", "tokenUrl", "scopes"));
        assertThatThrownBy(() -> apps.create(Callers.as("alice"), "org-a", new HashMap<>(Map.of("provider", "yahoo"))))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("provider"));
        assertThatThrownBy(() -> apps.create(Callers.as("alice"), "org-a", new HashMap<>(Map.of("provider", "google",
                "clientId", "c", "tenant", "x"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("clientSecret", "tenant"));
        create("alice", "org-a", Map.of("provider", "google", "clientId", "c", "clientSecret", "s"));
        assertThatThrownBy(() -> apps.create(Callers.as("alice"), "org-a", new HashMap<>(Map.of("provider", "google",
                "clientId", "c", "clientSecret", "s")))).isInstanceOf(ConflictException.class);

        // An OAuth inbox needs a provider (whose preset names the server), no password; a password inbox a password.
        assertThatThrownBy(() -> inboxes.create(Callers.as("alice"), "org-a", new HashMap<>(Map.of("emailAddress",
                "a@example.com", "auth", "oauth2", "password", "p"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("oauthProvider", "host", "password"));
        assertThatThrownBy(() -> inboxes.create(Callers.as("alice"), "org-a", new HashMap<>(Map.of("emailAddress",
                "a@example.com", "auth", "token", "host", "h"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("auth", "password"));
    }

    @Test
    void membersReadOthersSeeNothingAndAnAppInUseIsNotDeleted() {
        create("bob", "org-b", Map.of("provider", "google", "clientId", "c", "clientSecret", "s"));
        assertThat(apps.get(Callers.as("alice"), "org-b", "google")).containsEntry("clientId", "c");
        assertThatThrownBy(() -> apps.update(Callers.as("alice"), "org-b", "google", Map.of("clientId", "d")))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> apps.delete(Callers.as("alice"), "org-b", "google"))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> apps.get(Callers.as("alice"), "org-a", "google")).isInstanceOf(NotFoundException.class);
        assertThat((Iterable<?>) apps.list(Callers.as("alice"), "org-a").get("items")).isEmpty();

        inboxes.create(Callers.as("bob"), "org-b", new HashMap<>(Map.of("emailAddress", "ops@example.com", "auth",
                "oauth2", "oauthProvider", "google")));
        assertThat((Iterable<?>) inboxes.list(Callers.as("bob"), "org-b").get("items")).hasSize(1); // apps not listed
        assertThatThrownBy(() -> apps.delete(Callers.as("bob"), "org-b", "google"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ops@example.com");
        assertThat(apps.update(Callers.as("bob"), "org-b", "google", Map.of("clientSecret", "new")))
                .containsEntry("clientSecretSet", true);
        assertThat(settings.vault().all()).containsValue("new").doesNotContainValue("s");
    }

    @Test
    void connectingAnInboxWithoutItsProvidersAppOrWithAPasswordSaysWhatToDo() {
        @SuppressWarnings("unchecked")
        Map<String, Object> inbox = (Map<String, Object>) inboxes.create(Callers.as("alice"), "org-a", new HashMap<>(
                Map.of("emailAddress", "ops@example.com", "auth", "oauth2", "oauthProvider", "google"))).getEntity();
        assertThatThrownBy(() -> inboxes.connect(Callers.as("alice"), "org-a", (String) inbox.get("id")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("register the organization's google app");
        assertThat(inboxes.test(Callers.as("alice"), "org-a", (String) inbox.get("id")))
                .containsEntry("ok", false).containsEntry("code", "oauth_sign_in");
        assertThatThrownBy(() -> inboxes.connect(Callers.as("alice"), "org-b", (String) inbox.get("id")))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void theCallbackAnswersBrowsersWithAPageThatMayNotBeFramed() {
        javax.ws.rs.core.HttpHeaders browser = (javax.ws.rs.core.HttpHeaders) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.ws.rs.core.HttpHeaders.class},
                (proxy, method, args) -> method.getName().equals("getAcceptableMediaTypes")
                        ? java.util.List.of(javax.ws.rs.core.MediaType.TEXT_HTML_TYPE) : null);
        Response r = inboxes.callback("org-a", "nope.x", "c", null, null, browser);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getHeaderString("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.getHeaderString("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat((String) r.getEntity()).contains("does not belong to an inbox");
    }
}
