package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.Principal;
import com.dooneflow.api.SessionService;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.testing.MutableClock;

/**
 * Single sign-on against a local OpenID Connect provider: the browser's round trip done by hand (start, the
 * provider's authorization redirect, the callback), and every way the provider's answer must be refused — each
 * refusal recorded in the audit log as a failed password sign-in is.
 */
class OidcResourceTest {

    private static final String KNOWN = "sso.user@example.com";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final LocalOidcProvider provider = newProvider();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<String> signedIn = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final List<AuditEntry> audited = new ArrayList<>();
    private final SessionService sessions = (SessionService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SessionService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("signInVerified")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                signedIn.add((String) args[0]);
                return KNOWN.equals(args[0]) ? Optional.of(new SessionService.NewSession("dfs_sso",
                        new SessionService.ActiveSession(Principal.user("u", KNOWN, null, null), "csrf",
                                clock.instant().plus(Duration.ofDays(7))))) : Optional.empty();
            });
    private final OidcResource resource = new OidcResource(sessions, new OidcSettings(provider.issuer(),
            LocalOidcProvider.CLIENT_ID, LocalOidcProvider.CLIENT_SECRET, "http://localhost:8181"), HTTP, clock, log::add,
            audited::add);

    private static LocalOidcProvider newProvider() {
        try {
            return new LocalOidcProvider();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** Start, then the provider's authorization as the browser would follow it; the callback's answer. */
    private Response roundTrip(String returnTo) throws Exception {
        Response started = resource.start(returnTo);
        assertThat(started.getStatus()).isEqualTo(303);
        String stateCookie = cookieValue(started.getHeaderString(HttpHeaders.SET_COOKIE));
        HttpResponse<Void> authorized = HTTP.send(HttpRequest.newBuilder(started.getLocation()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(authorized.statusCode()).isEqualTo(302);
        URI back = URI.create(authorized.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith("http://localhost:8181/v1/session/oidc/callback?");
        Map<String, String> q = LocalOidcProvider.redirectQuery(back);
        return resource.callback(q.get("code"), q.get("state"), null, cookies(stateCookie));
    }

    @Test
    void aKnownPersonComesBackSignedInWithASessionCookieOnThePageTheyAskedFor() throws Exception {
        Response started = resource.start("/organizations/org-1/events");
        String setCookie = started.getHeaderString(HttpHeaders.SET_COOKIE);
        assertThat(setCookie).startsWith(OidcResource.STATE_COOKIE + "=").contains("HttpOnly", "SameSite=Lax",
                "Path=/v1/session/oidc", "Max-Age=600");
        Map<String, String> authorization = LocalOidcProvider.redirectQuery(started.getLocation());
        assertThat(authorization).containsEntry("client_id", LocalOidcProvider.CLIENT_ID)
                .containsEntry("redirect_uri", "http://localhost:8181/v1/session/oidc/callback")
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce", "code_challenge");
        assertThat(authorization.get("scope")).contains("openid", "email");

        Response back = roundTrip("/organizations/org-1/events");

        assertThat(back.getStatus()).isEqualTo(303);
        assertThat(back.getLocation().getPath()).isEqualTo("/organizations/org-1/events");
        assertThat(back.getHeaders().get(HttpHeaders.SET_COOKIE)).extracting(Object::toString)
                .anyMatch(c -> c.startsWith(SessionCookie.NAME + "=dfs_sso;") && c.contains("SameSite=Strict"))
                .anyMatch(c -> c.startsWith(OidcResource.STATE_COOKIE + "=;") && c.contains("Max-Age=0"));
        assertThat(signedIn).containsExactly(KNOWN);
        assertThat(audited).extracting(AuditEntry::actorEmail, AuditEntry::objectType, AuditEntry::action,
                AuditEntry::summary).containsExactly(tuple(KNOWN, "session", "sign-in", "single sign-on"));
    }

    @Test
    void someoneWithoutAnAccountIsSentBackToSignInSaidSo() throws Exception {
        provider.signIn("stranger@example.com");
        Response back = roundTrip(null);
        assertThat(back.getLocation().toString()).endsWith("/sign-in#sso-error=no-account");
        assertThat(back.getHeaderString(HttpHeaders.SET_COOKIE)).doesNotContain(SessionCookie.NAME);
        assertThat(audited).extracting(AuditEntry::actorEmail, AuditEntry::objectType, AuditEntry::action,
                AuditEntry::summary).containsExactly(tuple(null, "session", "sign-in-failed", "single sign-on: no-account"));
        assertThat(audited.get(0).toString()).as("the email is not kept").doesNotContain("stranger");
    }

    @Test
    void anIdTokenThatIsForgedForAnotherClientExpiredForAnotherRequestOrUnverifiedIsRefused() throws Exception {
        for (LocalOidcProvider.Tamper tamper : List.of(LocalOidcProvider.Tamper.FOREIGN_KEY,
                LocalOidcProvider.Tamper.OTHER_AUDIENCE, LocalOidcProvider.Tamper.OTHER_NONCE,
                LocalOidcProvider.Tamper.EXPIRED)) {
            provider.tamper(tamper);
            assertThat(roundTrip(null).getLocation().toString()).as("%s", tamper).endsWith("#sso-error=id-token");
        }
        provider.tamper(LocalOidcProvider.Tamper.UNVERIFIED_EMAIL);
        assertThat(roundTrip(null).getLocation().toString()).endsWith("#sso-error=email-not-verified");
        assertThat(signedIn).as("nobody was signed in").isEmpty();
        assertThat(log).hasSize(5).allMatch(line -> line.startsWith("Single sign-on failed"));
        assertThat(audited).extracting(AuditEntry::action).containsOnly("sign-in-failed");
        assertThat(audited).extracting(AuditEntry::summary).containsExactly("single sign-on: id-token",
                "single sign-on: id-token", "single sign-on: id-token", "single sign-on: id-token",
                "single sign-on: email-not-verified");
    }

    @Test
    void aCallbackThisBrowserDidNotStartIsRefused() throws Exception {
        Response started = resource.start(null);
        Map<String, String> authorization = LocalOidcProvider.redirectQuery(started.getLocation());

        Response noCookie = resource.callback("code", authorization.get("state"), null, cookies(null));
        Response otherState = resource.callback("code", "forged",  null,
                cookies(cookieValue(started.getHeaderString(HttpHeaders.SET_COOKIE))));

        assertThat(noCookie.getLocation().toString()).endsWith("#sso-error=state");
        assertThat(otherState.getLocation().toString()).endsWith("#sso-error=state");
        assertThat(signedIn).isEmpty();
        assertThat(audited).extracting(AuditEntry::action, AuditEntry::summary).containsExactly(
                tuple("sign-in-failed", "single sign-on: state"), tuple("sign-in-failed", "single sign-on: state"));
    }

    @Test
    void aFloodOfBadCallbacksFromOneAddressIsRecordedOnlyUpToTheLimitAMinute() {
        int sent = OidcResource.RECORDED_FAILURES_PER_MINUTE + 10;
        for (int i = 0; i < sent; i++) {
            assertThat(resource.callback("code", "forged", null, cookies(null)).getLocation().toString())
                    .endsWith("#sso-error=state");
        }

        assertThat(audited).hasSize(OidcResource.RECORDED_FAILURES_PER_MINUTE + 1);
        assertThat(audited.get(audited.size() - 1).summary())
                .isEqualTo("single sign-on: state; further failures from this address are not recorded this minute");

        clock.advance(Duration.ofMinutes(1));
        resource.callback("code", "forged", null, cookies(null));
        assertThat(audited).as("a new minute is recorded again").hasSize(OidcResource.RECORDED_FAILURES_PER_MINUTE + 2);
    }

    @Test
    void onlyTheConsolesOwnPagesAreLandedOnAndWithoutSettingsThereIsNoSingleSignOn() {
        assertThat(OidcResource.consolePath("/organizations/o-1/workflows")).isEqualTo("/organizations/o-1/workflows");
        assertThat(OidcResource.consolePath("https://evil.example/")).isEqualTo("/");
        assertThat(OidcResource.consolePath("//evil.example/organizations/x")).isEqualTo("/");
        assertThat(OidcResource.consolePath(null)).isEqualTo("/");

        OidcResource off = new OidcResource(sessions, OidcSettings.of(Map.of(), Map.of()), HTTP, clock, log::add,
                audited::add);
        assertThat(off.status()).containsEntry("enabled", false).doesNotContainKey("startUrl");
        assertThat(off.start(null).getStatus()).isEqualTo(404);
        // started under the public URL, where the provider sends the browser back with the request's cookie
        assertThat(resource.status()).containsEntry("enabled", true)
                .containsEntry("startUrl", "http://localhost:8181/v1/session/oidc/start");
        assertThat(OidcSettings.of(Map.of("oidc.issuer", "https://id.example.com/", "oidc.clientId", "c",
                ".oidc.clientSecret", "s"), Map.of()).issuer()).isEqualTo("https://id.example.com");
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static HttpHeaders cookies(String stateCookie) {
        Map<String, Cookie> cookies = stateCookie == null ? Map.of()
                : Map.of(OidcResource.STATE_COOKIE, new Cookie(OidcResource.STATE_COOKIE, stateCookie));
        return (HttpHeaders) Proxy.newProxyInstance(OidcResourceTest.class.getClassLoader(),
                new Class<?>[] {HttpHeaders.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getCookies")) {
                        return cookies;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
