package com.dooneflow.rest.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import javax.annotation.security.PermitAll;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.SessionService;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.security.AuthFailureLimiter;

/**
 * {@code /v1/session/oidc}: signing in to the console through the installation's OpenID Connect provider
 * ({@link OidcSettings}). {@code start} sends the browser to the provider; {@code callback} is where it comes back
 * with a code, which becomes a console session for the user whose email the provider vouches for. Only people who
 * have an account sign in this way (an invitation makes one). The request's state, nonce and PKCE verifier wait in
 * a short-lived {@code HttpOnly} cookie ({@code SameSite=Lax}: it must come back with the provider's redirect), so
 * any node of a cluster can finish what another started. A failure sends the browser back to the sign-in page,
 * which says what went wrong ({@code /sign-in#sso-error=<code>}); the details go to the security log, and the failure
 * to the audit log as a failed password sign-in does (at most {@link #RECORDED_FAILURES_PER_MINUTE} a minute from one
 * address: the callback is public, and a flood of bad ones must not flood the log).
 */
@Component(service = OidcResource.class, configurationPid = "com.dooneflow")
@DooneFlowResource
@Path("v1/session/oidc")
@Produces(MediaType.APPLICATION_JSON)
public class OidcResource {

    static final String STATE_COOKIE = "dooneflow_oidc";
    private static final String COOKIE_PATH = "/v1/session/oidc";
    private static final long STATE_SECONDS = 600;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** As many as the password sign-in allows before it answers 429. */
    static final int RECORDED_FAILURES_PER_MINUTE = 20;

    private final SessionService sessions;
    private final OidcSettings settings;
    private final OidcClient client;
    private final Clock clock;
    private final Consumer<String> securityLog;
    private final Consumer<AuditEntry> audit;
    private final AuthFailureLimiter recordedFailures;

    @Context
    HttpServletRequest servletRequest;

    @Activate
    public OidcResource(@Reference SessionService sessions, @Reference AuditLog audit, Map<String, Object> config) {
        this(sessions, OidcSettings.of(config, System.getenv()), HttpClient.newBuilder()
                .connectTimeout(OidcClient.TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build(),
                Clock.systemUTC(), LoggerFactory.getLogger("dooneflow.security")::warn, AuditFilter.quietly(audit));
    }

    OidcResource(SessionService sessions, OidcSettings settings, HttpClient http, Clock clock,
                 Consumer<String> securityLog, Consumer<AuditEntry> audit) {
        this.sessions = sessions;
        this.settings = settings;
        this.client = new OidcClient(settings, http);
        this.clock = clock;
        this.securityLog = securityLog;
        this.audit = audit;
        this.recordedFailures = new AuthFailureLimiter(RECORDED_FAILURES_PER_MINUTE, Duration.ofMinutes(1),
                AuthFilter.MAX_KEYS, clock);
    }

    /**
     * Whether single sign-on is configured: the sign-in page offers it then, starting at {@code startUrl}, under the
     * public URL the provider returns to (the cookie that holds the request must come back with it).
     */
    @GET
    @PermitAll
    public Map<String, Object> status() {
        return settings.enabled() ? Map.of("enabled", true, "startUrl", settings.publicUrl() + "/v1/session/oidc/start")
                : Map.of("enabled", false);
    }

    @GET
    @Path("start")
    @PermitAll
    public Response start(@QueryParam("returnTo") String returnTo) {
        if (!settings.enabled()) {
            return Problem.response(404, "not-found", "Not found", "Single sign-on is not configured.");
        }
        OidcClient.Provider provider;
        try {
            provider = client.discover();
        } catch (OidcClient.Failure e) {
            securityLog.accept("Single sign-on could not start: " + e.getMessage());
            return failed(e.code);
        }
        String state = random();
        String nonce = random();
        String verifier = random() + random();
        String target = consolePath(returnTo);
        String value = state + "." + nonce + "." + verifier + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(target.getBytes(StandardCharsets.UTF_8));
        return Response.seeOther(client.authorizationUri(provider, state, nonce, verifier))
                .header(HttpHeaders.SET_COOKIE, STATE_COOKIE + "=" + value + "; Max-Age=" + STATE_SECONDS
                        + stateCookieAttributes()).build();
    }

    @GET
    @Path("callback")
    @PermitAll
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
                             @QueryParam("error") String error, @Context HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(STATE_COOKIE);
        String[] started = cookie == null ? new String[0] : cookie.getValue().split("\\.", -1);
        if (started.length != 4 || state == null || !MessageDigest.isEqual(started[0].getBytes(StandardCharsets.UTF_8),
                state.getBytes(StandardCharsets.UTF_8))) {
            securityLog.accept("Single sign-on came back with a state this browser did not start; refused");
            return failed("state");
        }
        if (error != null || code == null) {
            return failed("refused");
        }
        String email;
        try {
            email = client.verifiedEmail(client.discover(), code, started[2], started[1]);
        } catch (OidcClient.Failure e) {
            securityLog.accept("Single sign-on failed: " + e.getMessage());
            return failed(e.code);
        }
        Optional<SessionService.NewSession> signedIn = sessions.signInVerified(email);
        if (signedIn.isEmpty()) {
            return failed("no-account");
        }
        SessionService.ActiveSession session = signedIn.get().session();
        audit.accept(AuditEntry.of(null, session.principal(), AuthFilter.clientAddress(servletRequest), "session", null,
                "sign-in", "single sign-on"));
        String target = new String(Base64.getUrlDecoder().decode(started[3]), StandardCharsets.UTF_8);
        return Response.seeOther(URI.create(consolePath(target)))
                .header(HttpHeaders.SET_COOKIE, SessionCookie.set(signedIn.get().secret(), session.expiresAt(),
                        clock.instant(), secure()))
                .header(HttpHeaders.SET_COOKIE, clearStateCookie()).build();
    }

    /**
     * A failed sign-in: recorded as a wrong password is (the address and why, not the email), then back to the
     * sign-in page.
     */
    private Response failed(String code) {
        String remote = AuthFilter.clientAddress(servletRequest);
        AuthFailureLimiter.Verdict verdict = recordedFailures.fail(AuthFailureLimiter.addressKey(remote));
        if (!verdict.limited() || verdict.tripped()) {
            audit.accept(AuditEntry.of(null, null, remote, "session", null, "sign-in-failed", "single sign-on: " + code
                    + (verdict.tripped() ? "; further failures from this address are not recorded this minute" : "")));
        }
        return back(code);
    }

    /** Back to the sign-in page, which explains the code. */
    private Response back(String code) {
        return Response.seeOther(URI.create("/sign-in#sso-error=" + code))
                .header(HttpHeaders.SET_COOKIE, clearStateCookie()).build();
    }

    /** A page of the console to land on after signing in: one of its own paths, never another site. */
    static String consolePath(String path) {
        return path != null && path.matches("/organizations/[A-Za-z0-9._~%/-]{1,300}") ? path : "/";
    }

    private String clearStateCookie() {
        return STATE_COOKIE + "=; Max-Age=0" + stateCookieAttributes();
    }

    private String stateCookieAttributes() {
        return "; Path=" + COOKIE_PATH + "; HttpOnly; SameSite=Lax" + (secure() ? "; Secure" : "");
    }

    private boolean secure() {
        return SessionCookie.secure(servletRequest, settings.publicUrl());
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
