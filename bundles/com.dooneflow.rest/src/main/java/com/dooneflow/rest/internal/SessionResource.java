package com.dooneflow.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import javax.annotation.security.PermitAll;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.SessionService;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.security.AuthFailureLimiter;

/**
 * {@code /v1/session}: signing in to the console with email and password, and signing out.
 * <p>
 * Wrong credentials are answered 401 with one message whether the email is unknown or the password wrong, and are
 * counted per client address and per email with the same limiter and limit ({@code authFailuresPerMinute}) as wrong
 * tokens. Unlike a 256-bit token, a password can be guessed: once an address or an email is over the limit, sign-in
 * is answered 429 without checking the password at all, until its minute is over.
 */
@Component(service = SessionResource.class, configurationPid = RestConfig.PID)
@DooneFlowResource
@Path("v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** The longest email there is (RFC 5321: 64 + 1 + 255). */
    static final int MAX_EMAIL = 320;

    private final SessionService sessions;
    private final AccessService access;
    private final String publicUrl;
    private final Clock clock;
    final AuthFailureLimiter byAddress;
    final AuthFailureLimiter byEmail;
    private final Consumer<String> securityLog;
    private final Consumer<AuditEntry> audit;

    /** CXF injects a proxy to the current request: the client address and whether it came over HTTPS. */
    @Context
    HttpServletRequest servletRequest;

    @Activate
    public SessionResource(@Reference SessionService sessions, @Reference AccessService access,
                           @Reference AuditLog audit, RestConfig config) {
        this(sessions, access, System.getenv("DOONEFLOW_PUBLIC_URL"), config.authFailuresPerMinute(),
                Clock.systemUTC(), LoggerFactory.getLogger("dooneflow.security")::warn, AuditFilter.quietly(audit));
    }

    SessionResource(SessionService sessions, AccessService access, String publicUrl, int failuresPerMinute,
                    Clock clock, Consumer<String> securityLog) {
        this(sessions, access, publicUrl, failuresPerMinute, clock, securityLog, entry -> { });
    }

    SessionResource(SessionService sessions, AccessService access, String publicUrl, int failuresPerMinute,
                    Clock clock, Consumer<String> securityLog, Consumer<AuditEntry> audit) {
        this.sessions = sessions;
        this.access = access;
        this.publicUrl = publicUrl;
        this.clock = clock;
        int limit = Math.max(0, failuresPerMinute);
        this.byAddress = new AuthFailureLimiter(limit, Duration.ofMinutes(1), AuthFilter.MAX_KEYS, clock);
        this.byEmail = new AuthFailureLimiter(limit, Duration.ofMinutes(1), AuthFilter.MAX_KEYS, clock);
        this.securityLog = securityLog;
        this.audit = audit;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signIn(Dto.SignInBody body) {
        if (body == null) {
            throw ValidationException.of("email", "is required");
        }
        String remote = clientAddress();
        String addressKey = AuthFailureLimiter.addressKey(remote);
        String emailKey = body.email() == null ? "" : body.email().trim().toLowerCase(Locale.ROOT);
        if (emailKey.length() > MAX_EMAIL) {
            emailKey = emailKey.substring(0, MAX_EMAIL); // bounds the counter's memory; no email is longer
        }
        long wait = Math.max(byAddress.limitedFor(addressKey), byEmail.limitedFor(emailKey));
        if (wait > 0) {
            return tooMany(wait);
        }
        Optional<SessionService.NewSession> signedIn = sessions.signIn(body.email(), body.password());
        if (signedIn.isEmpty()) {
            return failed(remote, addressKey, emailKey);
        }
        SessionService.ActiveSession session = signedIn.get().session();
        audit.accept(AuditEntry.of(null, session.principal(), remote, "session", null, "sign-in", null));
        Dto.SessionBody answer = new Dto.SessionBody(access.me(session.principal()), session.csrfToken(),
                session.expiresAt());
        return Response.ok(answer).header(HttpHeaders.SET_COOKIE,
                SessionCookie.set(signedIn.get().secret(), session.expiresAt(), clock.instant(), secure())).build();
    }

    /**
     * Signs out: ends the session of the cookie and removes the cookie. A live session's own CSRF token must come
     * with it, so another site cannot sign the person out; without a live session there is nothing to protect.
     */
    @DELETE
    @PermitAll
    public Response signOut(@Context HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(SessionCookie.NAME);
        if (cookie != null) {
            Optional<SessionService.ActiveSession> session = sessions.authenticate(cookie.getValue());
            String sent = headers.getHeaderString(SessionCookie.CSRF_HEADER);
            if (session.isPresent() && (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    session.get().csrfToken().getBytes(StandardCharsets.UTF_8)))) {
                return Problem.response(403, "csrf", "Forbidden", "Send the session's CSRF token in "
                        + SessionCookie.CSRF_HEADER + " to sign out.");
            }
            sessions.signOut(cookie.getValue());
        }
        return Response.noContent().header(HttpHeaders.SET_COOKIE, SessionCookie.clear(secure())).build();
    }

    private Response failed(String remote, String addressKey, String emailKey) {
        String address = remote == null ? "an unknown address" : remote.replaceAll("[^0-9A-Za-z:.%\\[\\]_-]", "?");
        AuthFailureLimiter.Verdict perAddress = byAddress.fail(addressKey);
        AuthFailureLimiter.Verdict perEmail = byEmail.fail(emailKey);
        if (perAddress.first()) {
            securityLog.accept("Failed console sign-in from " + address
                    + "; further failures from this address are not logged one by one this minute");
        }
        // The email tried is not recorded: people type passwords into the wrong field.
        audit.accept(AuditEntry.of(null, null, remote, "session", null, "sign-in-failed",
                "wrong email or password"));
        if (perAddress.tripped()) {
            securityLog.accept("Too many failed console sign-ins from " + address + ": " + perAddress.failures()
                    + " in a minute; sign-in from there is answered 429 for " + perAddress.retryAfterSeconds() + " s");
            audit.accept(AuditEntry.of(null, null, remote, "session", null, "rate-limited", perAddress.failures()
                    + " failed sign-ins from this address in a minute; answered 429 for "
                    + perAddress.retryAfterSeconds() + " s"));
        }
        if (perEmail.tripped()) {
            securityLog.accept("Too many failed console sign-ins for one email, the last from " + address
                    + "; its sign-in is answered 429 for " + perEmail.retryAfterSeconds() + " s");
            audit.accept(AuditEntry.of(null, null, remote, "session", null, "rate-limited", perEmail.failures()
                    + " failed sign-ins for one email in a minute; answered 429 for " + perEmail.retryAfterSeconds()
                    + " s"));
        }
        long wait = Math.max(perAddress.limited() ? perAddress.retryAfterSeconds() : 0,
                perEmail.limited() ? perEmail.retryAfterSeconds() : 0);
        if (wait > 0) {
            return tooMany(wait);
        }
        return Response.fromResponse(Problem.response(401, "sign-in-failed", "Unauthorized",
                "The email or the password is wrong.")).header(HttpHeaders.WWW_AUTHENTICATE, AuthFilter.CHALLENGE).build();
    }

    private static Response tooMany(long wait) {
        return Response.fromResponse(Problem.response(429, "too-many-failed-authentications", "Too Many Requests",
                "Too many failed sign-ins from this address or for this email; wait " + wait + " s."))
                .header(HttpHeaders.RETRY_AFTER, wait).build();
    }

    private boolean secure() {
        return SessionCookie.secure(servletRequest, publicUrl);
    }

    private String clientAddress() {
        return AuthFilter.clientAddress(servletRequest);
    }
}
