package com.dooneflow.rest.internal;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import javax.annotation.Priority;
import javax.annotation.security.PermitAll;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.SessionService;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.audit.AuditLog;
import com.dooneflow.api.rest.DooneFlowResource;
import com.dooneflow.api.security.AuthFailureLimiter;

/**
 * Bearer-token authentication for every resource method except those marked {@link PermitAll} (health,
 * OpenAPI, webhook receivers, OAuth and delivery callbacks). No or an unknown token: 401.
 * <p>
 * Failed tokens are counted per client address and per token prefix. Over {@code authFailuresPerMinute}, a wrong
 * token is answered 429 with {@code Retry-After} instead of 401. The token is still checked first (a hashed
 * lookup, cheap and constant-time): refusing unchecked would also refuse the valid callers behind the same
 * address, so a valid token always passes and only guesses are slowed. Each address's first failure of a minute
 * and each limit that trips are logged to {@code dooneflow.security}, with the token's first characters at most.
 * <p>
 * A request without an {@code Authorization} header may instead carry the console's session cookie
 * ({@link SessionCookie}). A request so authenticated that may change something (any method but GET, HEAD and
 * OPTIONS) must repeat the session's CSRF token in {@code X-CSRF-Token}, else 403: another site cannot read that
 * token, so it cannot forge such a request even where a browser would send the cookie. Bearer-token requests need no
 * CSRF token: no browser adds an {@code Authorization} header by itself. A cookie of a session that has ended is
 * answered 401 and removed.
 * <p>
 * A method marked {@link BearerOptional} may also be called without a token (a cookie of a session that has ended is
 * then ignored).
 */
@Component(service = ContainerRequestFilter.class, configurationPid = RestConfig.PID)
@JaxrsExtension
@JaxrsName(DooneFlowResource.AUTHENTICATION)
@Priority(Priorities.AUTHENTICATION)
public class AuthFilter implements ContainerRequestFilter {

    /** Keys kept per counter: about a megabyte each at most. */
    static final int MAX_KEYS = 10_000;
    /** Characters of a wrong token that may be logged, and only of a token at least {@link #MIN_LOGGED} long. */
    static final int PREFIX = 8;
    static final int MIN_LOGGED = 24;
    static final String CHALLENGE = "Bearer realm=\"dooneflow\"";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final AccessService access;
    /** Null in tests of bearer tokens alone: then cookies are not looked at. */
    private final SessionService sessions;
    private final String publicUrl;
    final AuthFailureLimiter byAddress;
    final AuthFailureLimiter byPrefix;
    private final Consumer<String> securityLog;
    private final Consumer<AuditEntry> audit;

    @Context
    ResourceInfo resourceInfo;

    /** CXF injects a proxy to the current request: the client address. */
    @Context
    HttpServletRequest servletRequest;

    @Activate
    public AuthFilter(@Reference AccessService access, @Reference SessionService sessions, @Reference AuditLog audit,
                      RestConfig config) {
        this(access, sessions, System.getenv("DOONEFLOW_PUBLIC_URL"), config.authFailuresPerMinute(),
                Clock.systemUTC(), LoggerFactory.getLogger("dooneflow.security")::warn, AuditFilter.quietly(audit));
    }

    AuthFilter(AccessService access, int failuresPerMinute, Clock clock, Consumer<String> securityLog) {
        this(access, null, null, failuresPerMinute, clock, securityLog);
    }

    AuthFilter(AccessService access, SessionService sessions, String publicUrl, int failuresPerMinute, Clock clock,
               Consumer<String> securityLog) {
        this(access, sessions, publicUrl, failuresPerMinute, clock, securityLog, entry -> { });
    }

    AuthFilter(AccessService access, SessionService sessions, String publicUrl, int failuresPerMinute, Clock clock,
               Consumer<String> securityLog, Consumer<AuditEntry> audit) {
        this.access = access;
        this.sessions = sessions;
        this.publicUrl = publicUrl;
        this.byAddress = new AuthFailureLimiter(Math.max(0, failuresPerMinute), Duration.ofMinutes(1), MAX_KEYS, clock);
        this.byPrefix = new AuthFailureLimiter(Math.max(0, failuresPerMinute), Duration.ofMinutes(1), MAX_KEYS, clock);
        this.securityLog = securityLog;
        this.audit = audit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Cookie cookie = header != null || sessions == null ? null : request.getCookies().get(SessionCookie.NAME);
        if (cookie != null) {
            Optional<SessionService.ActiveSession> session = sessions.authenticate(cookie.getValue());
            if (session.isPresent()) {
                if (!SAFE_METHODS.contains(request.getMethod())
                        && !sameToken(request.getHeaderString(SessionCookie.CSRF_HEADER), session.get().csrfToken())) {
                    request.abortWith(Problem.response(403, "csrf", "Forbidden", "A request signed in by the session "
                            + "cookie that changes something must send the session's CSRF token in "
                            + SessionCookie.CSRF_HEADER + " (from POST /v1/session or GET /v1/me)."));
                    return;
                }
                request.setSecurityContext(new Caller(session.get().principal(), session.get().csrfToken()));
                return;
            }
            if (!isAnnotated(BearerOptional.class)) {
                request.abortWith(Response.fromResponse(unauthorized("Your session has ended: sign in again."))
                        .header(HttpHeaders.SET_COOKIE, SessionCookie.clear(secure())).build());
                return;
            }
        }
        if (header == null && isAnnotated(BearerOptional.class)) {
            return;
        }
        if (header == null) {
            // No credential is no guess: not counted.
            request.abortWith(unauthorized("Sign in (POST /v1/session) or send 'Authorization: Bearer <token>'."));
            return;
        }
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<Principal> principal = token == null ? Optional.empty() : access.authenticate(token);
        if (principal.isPresent()) {
            request.setSecurityContext(new Caller(principal.get()));
            return;
        }
        request.abortWith(failed(token));
    }

    /** Counts a wrong credential; 401, or 429 once its address or token prefix is over the limit. */
    private Response failed(String token) {
        String remote = clientAddress();
        String addressKey = AuthFailureLimiter.addressKey(remote);
        String address = remote == null ? "an unknown address" : remote.replaceAll("[^0-9A-Za-z:.%\\[\\]_-]", "?");
        String prefix = prefix(token);
        AuthFailureLimiter.Verdict perAddress = byAddress.fail(addressKey);
        AuthFailureLimiter.Verdict perPrefix = prefix == null ? null : byPrefix.fail(prefix);
        String shown = prefix == null ? "(none shown)" : prefix;
        if (perAddress.first()) {
            securityLog.accept("Failed API token authentication from " + address + ", token prefix " + shown
                    + "; further failures from this address are not logged one by one this minute");
        }
        // Only a limit that trips is audited (once a minute per address or prefix), so guessing cannot flood the log.
        if (perAddress.tripped()) {
            securityLog.accept("Too many failed API token authentications from " + address + ": "
                    + perAddress.failures() + " in a minute; wrong tokens are answered 429 for "
                    + perAddress.retryAfterSeconds() + " s");
            audit.accept(AuditEntry.of(null, null, remote, "api-token", null, "rate-limited", perAddress.failures()
                    + " failed token authentications from this address in a minute; answered 429 for "
                    + perAddress.retryAfterSeconds() + " s"));
        }
        if (perPrefix != null && perPrefix.tripped()) {
            securityLog.accept("Too many failed API token authentications with token prefix " + prefix + ": "
                    + perPrefix.failures() + " in a minute, the last from " + address
                    + "; such tokens are answered 429 for " + perPrefix.retryAfterSeconds() + " s");
            audit.accept(AuditEntry.of(null, null, remote, "api-token", prefix, "rate-limited", perPrefix.failures()
                    + " failed authentications with this token prefix in a minute; answered 429 for "
                    + perPrefix.retryAfterSeconds() + " s"));
        }
        long retryAfter = Math.max(perAddress.limited() ? perAddress.retryAfterSeconds() : 0,
                perPrefix != null && perPrefix.limited() ? perPrefix.retryAfterSeconds() : 0);
        if (retryAfter > 0) {
            return Response.fromResponse(Problem.response(429, "too-many-failed-authentications",
                    "Too Many Requests", "Too many failed authentications from this address or with this token; "
                            + "wait " + retryAfter + " s. A valid token is still accepted."))
                    .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
        }
        return unauthorized(token == null ? "Send 'Authorization: Bearer <token>'." : "The token is unknown or revoked.");
    }

    private static boolean sameToken(String sent, String expected) {
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private boolean secure() {
        return SessionCookie.secure(servletRequest, publicUrl);
    }

    private String clientAddress() {
        return clientAddress(servletRequest);
    }

    /** The request's client address, for failure counting; null when unknown. */
    static String clientAddress(HttpServletRequest request) {
        try {
            return request == null ? null : request.getRemoteAddr();
        } catch (RuntimeException notAServletRequest) {
            return null; // counted under "unknown": a failed login must never become a 500
        }
    }

    /**
     * What of a wrong token may be logged and counted: its first characters, only of a token long enough that they
     * are a small part of it (DooneFlow tokens are 47 characters; the token list shows their first 12), and only
     * characters a token has, so the log cannot be forged through it.
     */
    static String prefix(String token) {
        if (token == null || token.length() < MIN_LOGGED) {
            return null;
        }
        return token.substring(0, PREFIX).replaceAll("[^A-Za-z0-9_-]", "?");
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(Problem.response(401, "unauthorized", "Unauthorized", detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }

    private boolean isPublic() {
        if (resourceInfo == null || resourceInfo.getResourceMethod() == null) {
            return false;
        }
        return isAnnotated(PermitAll.class) || resourceInfo.getResourceClass().isAnnotationPresent(PermitAll.class);
    }

    private boolean isAnnotated(Class<? extends Annotation> annotation) {
        return resourceInfo != null && resourceInfo.getResourceMethod() != null
                && resourceInfo.getResourceMethod().isAnnotationPresent(annotation);
    }
}
