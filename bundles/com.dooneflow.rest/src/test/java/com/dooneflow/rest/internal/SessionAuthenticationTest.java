package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.SessionService;
import com.dooneflow.api.User;
import com.dooneflow.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Console sessions over REST as plain objects: signing in and out ({@link SessionResource}), the session cookie and
 * its CSRF token in {@link AuthFilter}, and what {@code GET /v1/me} says of a session.
 */
class SessionAuthenticationTest {

    private static final String PASSWORD = "the right password";
    private static final String SECRET = "dfs_live";
    private static final String CSRF = "csrf-of-the-live-session";
    private static final Principal PAT = Principal.user("pat-id", "pat@example.com", null, null);
    private static final Principal BEARER = Principal.user("pat-id", "pat@example.com", "token-id", null);

    /** One live session (SECRET); signing in with PASSWORD opens it; records what was asked. */
    private final class FakeSessions implements SessionService {
        final List<String> calls = new ArrayList<>();
        boolean live = true;

        @Override
        public Optional<NewSession> signIn(String email, String password) {
            calls.add("signIn " + email);
            return "pat@example.com".equals(email) && PASSWORD.equals(password)
                    ? Optional.of(new NewSession(SECRET, session())) : Optional.empty();
        }

        @Override
        public Optional<NewSession> signInVerified(String email) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ActiveSession> authenticate(String sessionSecret) {
            return live && SECRET.equals(sessionSecret) ? Optional.of(session()) : Optional.empty();
        }

        @Override
        public void signOut(String sessionSecret) {
            calls.add("signOut " + sessionSecret);
        }

        private ActiveSession session() {
            return new ActiveSession(PAT, CSRF, clock.instant().plus(Duration.ofDays(7)));
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final FakeSessions sessions = new FakeSessions();
    private final AccessService access = proxy(AccessService.class, (name, args) -> switch (name) {
        case "authenticate" -> "dft_pat".equals(args[0]) ? Optional.of(BEARER) : Optional.empty();
        case "me" -> new User("pat-id", "pat@example.com", Instant.parse("2026-01-01T00:00:00Z"));
        case "hasPassword" -> true;
        case "isInstallationAdmin" -> false;
        default -> throw new UnsupportedOperationException(name);
    });
    private final List<String> log = new ArrayList<>();

    // ------------------------------------------------------------------ the filter

    /** A request to {@code method} with the given HTTP method, headers and cookies; what the filter did to it. */
    private final class Request {
        final Map<String, String> headers = new HashMap<>();
        final Map<String, Cookie> cookies = new HashMap<>();
        final String httpMethod;
        Response aborted;
        SecurityContext context;

        Request(String httpMethod) {
            this.httpMethod = httpMethod;
        }

        Request header(String name, String value) {
            headers.put(name.toLowerCase(), value);
            return this;
        }

        Request cookie(String value) {
            cookies.put(SessionCookie.NAME, new Cookie(SessionCookie.NAME, value));
            return this;
        }

        Request through(Method resourceMethod) {
            AuthFilter filter = new AuthFilter(access, sessions, null, 20, clock, log::add);
            filter.resourceInfo = proxy(ResourceInfo.class, (name, args) -> switch (name) {
                case "getResourceMethod" -> resourceMethod;
                case "getResourceClass" -> resourceMethod.getDeclaringClass();
                default -> throw new UnsupportedOperationException(name);
            });
            filter.servletRequest = servlet(false);
            filter.filter(proxy(ContainerRequestContext.class, (name, args) -> switch (name) {
                case "getHeaderString" -> headers.get(((String) args[0]).toLowerCase());
                case "getCookies" -> cookies;
                case "getMethod" -> httpMethod;
                case "abortWith" -> {
                    aborted = (Response) args[0];
                    yield null;
                }
                case "setSecurityContext" -> {
                    context = (SecurityContext) args[0];
                    yield null;
                }
                default -> throw new UnsupportedOperationException(name);
            }));
            return this;
        }
    }

    private static Method method(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void theSessionCookieSignsInReadsAndChangesOnlyWithTheSessionsCsrfToken() {
        Request read = new Request("GET").cookie(SECRET).through(method(MeResource.class, "me"));
        assertThat(read.aborted).isNull();
        assertThat(Caller.of(read.context)).isEqualTo(PAT);
        assertThat(((Caller) read.context).csrfToken()).isEqualTo(CSRF);

        Method create = method(TokenResource.class, "create");
        Request noToken = new Request("POST").cookie(SECRET).through(create);
        Request wrongToken = new Request("POST").cookie(SECRET).header("X-CSRF-Token", "guessed").through(create);
        Request rightToken = new Request("POST").cookie(SECRET).header("X-CSRF-Token", CSRF).through(create);
        Request delete = new Request("DELETE").cookie(SECRET).through(method(TokenResource.class, "revoke"));

        assertThat(noToken.aborted.getStatus()).isEqualTo(403);
        assertThat(problem(noToken.aborted).path("detail").asText()).contains("X-CSRF-Token");
        assertThat(noToken.context).isNull();
        assertThat(wrongToken.aborted.getStatus()).isEqualTo(403);
        assertThat(delete.aborted.getStatus()).as("every method that changes something").isEqualTo(403);
        assertThat(rightToken.aborted).isNull();
        assertThat(Caller.of(rightToken.context)).isEqualTo(PAT);
    }

    @Test
    void aBearerTokenNeedsNoCsrfTokenAndWinsOverACookie() {
        Request bearer = new Request("POST").header("Authorization", "Bearer dft_pat").cookie("dfs_someone_else")
                .through(method(TokenResource.class, "create"));

        assertThat(bearer.aborted).isNull();
        assertThat(Caller.of(bearer.context)).isEqualTo(BEARER);
        assertThat(((Caller) bearer.context).csrfToken()).isNull();
    }

    @Test
    void aCookieOfASessionThatEndedIs401AndRemovedButIgnoredWhereNoSignInIsNeeded() {
        sessions.live = false;
        Request ended = new Request("GET").cookie(SECRET).through(method(MeResource.class, "me"));
        Request none = new Request("GET").through(method(MeResource.class, "me"));
        Request optional = new Request("POST").cookie(SECRET).through(method(InvitationResource.class,
                "acceptWithToken"));

        assertThat(ended.aborted.getStatus()).isEqualTo(401);
        assertThat(ended.aborted.getHeaderString(HttpHeaders.SET_COOKIE)).startsWith(SessionCookie.NAME + "=;")
                .contains("Max-Age=0");
        assertThat(none.aborted.getStatus()).isEqualTo(401);
        assertThat(optional.aborted).isNull();
        assertThat(optional.context).as("anonymous").isNull();
    }

    @Test
    void meSaysWhetherThereIsAPasswordAndGivesASessionItsCsrfToken() {
        MeResource me = new MeResource(access, proxy(com.dooneflow.api.OrganizationService.class,
                (name, args) -> List.of()), proxy(com.dooneflow.api.InvitationService.class, (name, args) -> List.of()));

        Map<String, Object> bySession = me.me(new Caller(PAT, CSRF));
        Map<String, Object> byToken = me.me(new Caller(BEARER));

        assertThat(bySession).containsEntry("csrfToken", CSRF).containsEntry("passwordSet", true)
                .containsEntry("tokenId", null);
        assertThat(byToken).containsEntry("csrfToken", null).containsEntry("tokenId", "token-id");
    }

    @Test
    void meGivesTheConsoleThePublicUrlCallersReachTheInstallationOn() {
        MeResource me = new MeResource(access, proxy(com.dooneflow.api.OrganizationService.class,
                (name, args) -> List.of()), null, "https://flows.example.com");
        assertThat(me.me(new Caller(PAT, CSRF))).containsEntry("publicUrl", "https://flows.example.com");
        assertThat(new MeResource(access, proxy(com.dooneflow.api.OrganizationService.class, (name, args) -> List.of()),
                null).me(new Caller(BEARER))).as("not set").containsEntry("publicUrl", null);

        // The variable wins over etc/com.dooneflow.cfg; a trailing slash is dropped; blank is unset.
        assertThat(InstallationSettings.publicUrl(Map.of("publicUrl", "https://cfg.example.com/"), Map.of()))
                .isEqualTo("https://cfg.example.com");
        assertThat(InstallationSettings.publicUrl(Map.of("publicUrl", "https://cfg.example.com"),
                Map.of("DOONEFLOW_PUBLIC_URL", "https://env.example.com"))).isEqualTo("https://env.example.com");
        assertThat(InstallationSettings.publicUrl(Map.of("publicUrl", " "), Map.of("DOONEFLOW_PUBLIC_URL", ""))).isNull();
        assertThat(InstallationSettings.publicUrl(null, Map.of())).isNull();
    }

    // ------------------------------------------------------------------ signing in and out

    private SessionResource resource(String publicUrl, boolean https) {
        SessionResource resource = new SessionResource(sessions, access, publicUrl, 3, clock, log::add);
        resource.servletRequest = servlet(https);
        return resource;
    }

    @Test
    void signingInAnswersTheUserAndTheCsrfTokenAndSetsAStrictHttpOnlyCookie() throws Exception {
        Response answer = resource(null, false).signIn(new Dto.SignInBody("pat@example.com", PASSWORD));

        assertThat(answer.getStatus()).isEqualTo(200);
        JsonNode body = Json.MAPPER.valueToTree(answer.getEntity());
        assertThat(body.path("user").path("email").asText()).isEqualTo("pat@example.com");
        assertThat(body.path("csrfToken").asText()).isEqualTo(CSRF);
        assertThat(body.toString()).doesNotContain(SECRET);
        assertThat(answer.getHeaderString(HttpHeaders.SET_COOKIE)).isEqualTo(SessionCookie.NAME + "=" + SECRET
                + "; Max-Age=604800; Path=/; HttpOnly; SameSite=Strict");

        assertThat(resource(null, true).signIn(new Dto.SignInBody("pat@example.com", PASSWORD))
                .getHeaderString(HttpHeaders.SET_COOKIE)).as("over HTTPS").endsWith("; Secure");
        assertThat(resource("https://flow.example.com/", false).signIn(new Dto.SignInBody("pat@example.com", PASSWORD))
                .getHeaderString(HttpHeaders.SET_COOKIE)).as("behind an HTTPS public URL").endsWith("; Secure");
    }

    @Test
    void anUnknownEmailAndAWrongPasswordGetTheSame401() {
        SessionResource resource = resource(null, false);
        Response wrongPassword = resource.signIn(new Dto.SignInBody("pat@example.com", "not it"));
        Response unknownEmail = resource.signIn(new Dto.SignInBody("nobody@example.com", PASSWORD));

        assertThat(wrongPassword.getStatus()).isEqualTo(401);
        assertThat(unknownEmail.getStatus()).isEqualTo(401);
        assertThat(problem(wrongPassword)).isEqualTo(problem(unknownEmail));
        assertThat(wrongPassword.getHeaderString(HttpHeaders.SET_COOKIE)).isNull();
        assertThat(log).hasSize(1).allMatch(line -> line.startsWith("Failed console sign-in from 203.0.113.7"));
    }

    @Test
    void pastTheLimitSignInIs429WithoutCheckingThePasswordUntilTheMinuteIsOver() {
        SessionResource resource = resource(null, false);
        for (int i = 0; i < 3; i++) {
            assertThat(resource.signIn(new Dto.SignInBody("pat@example.com", "guess " + i)).getStatus()).isEqualTo(401);
        }
        Response tripped = resource.signIn(new Dto.SignInBody("pat@example.com", "guess 3"));
        assertThat(tripped.getStatus()).isEqualTo(429);
        assertThat(tripped.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("60");
        int checked = sessions.calls.size();

        Response right = resource.signIn(new Dto.SignInBody("pat@example.com", PASSWORD));

        assertThat(right.getStatus()).as("even the right password waits").isEqualTo(429);
        assertThat(sessions.calls).as("the password was not checked").hasSize(checked);
        assertThat(log).anyMatch(line -> line.startsWith("Too many failed console sign-ins from 203.0.113.7"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(resource.signIn(new Dto.SignInBody("pat@example.com", PASSWORD)).getStatus()).isEqualTo(200);
    }

    @Test
    void signingOutNeedsTheCsrfTokenOfALiveSessionAndRemovesTheCookie() {
        SessionResource resource = resource(null, false);

        Response forged = resource.signOut(headers(SECRET, null));
        assertThat(forged.getStatus()).isEqualTo(403);
        assertThat(sessions.calls).doesNotContain("signOut " + SECRET);

        Response signedOut = resource.signOut(headers(SECRET, CSRF));
        assertThat(signedOut.getStatus()).isEqualTo(204);
        assertThat(sessions.calls).contains("signOut " + SECRET);
        assertThat(signedOut.getHeaderString(HttpHeaders.SET_COOKIE))
                .isEqualTo(SessionCookie.NAME + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");

        sessions.live = false;
        assertThat(resource.signOut(headers(SECRET, null)).getStatus()).as("nothing left to protect").isEqualTo(204);
        assertThat(resource.signOut(headers(null, null)).getStatus()).isEqualTo(204);
    }

    // ------------------------------------------------------------------ helpers

    private static HttpHeaders headers(String cookie, String csrf) {
        Map<String, Cookie> cookies = cookie == null ? Map.of()
                : Map.of(SessionCookie.NAME, new Cookie(SessionCookie.NAME, cookie));
        return proxy(HttpHeaders.class, (name, args) -> switch (name) {
            case "getCookies" -> cookies;
            case "getHeaderString" -> SessionCookie.CSRF_HEADER.equals(args[0]) ? csrf : null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private static HttpServletRequest servlet(boolean https) {
        return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getRemoteAddr" -> "203.0.113.7";
            case "isSecure" -> https;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private static JsonNode problem(Response response) {
        try {
            return Json.MAPPER.readTree((String) response.getEntity());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> method.getDeclaringClass() == Object.class
                        ? (method.getName().equals("toString") ? type.getSimpleName() : method.invoke(answer, args))
                        : answer.answer(method.getName(), args)));
    }
}
