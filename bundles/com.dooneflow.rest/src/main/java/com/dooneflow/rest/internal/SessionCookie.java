package com.dooneflow.rest.internal;

import java.time.Duration;
import java.time.Instant;

import javax.servlet.http.HttpServletRequest;

/**
 * The console's session cookie. {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site's page
 * sends it), {@code Path=/}, and {@code Secure} when the request came over HTTPS or {@code DOONEFLOW_PUBLIC_URL} is
 * https. Written by hand: JAX-RS 2.1's {@code NewCookie} knows no {@code SameSite}.
 */
final class SessionCookie {

    static final String NAME = "dooneflow_session";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookie() {
    }

    /** The cookie that holds the session until it ends at the latest. */
    static String set(String secret, Instant expiresAt, Instant now, boolean secure) {
        long maxAge = Math.max(0, Duration.between(now, expiresAt).getSeconds());
        return NAME + "=" + secret + "; Max-Age=" + maxAge + attributes(secure);
    }

    /** The cookie that removes it from the browser. */
    static String clear(boolean secure) {
        return NAME + "=; Max-Age=0" + attributes(secure);
    }

    private static String attributes(boolean secure) {
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /**
     * Whether this request's cookies must be Secure. A request that is not a servlet request (a proxy injected where
     * no servlet runs) counts as plain HTTP.
     */
    static boolean secure(HttpServletRequest request, String publicUrl) {
        boolean https;
        try {
            https = request != null && request.isSecure();
        } catch (RuntimeException notAServletRequest) {
            https = false;
        }
        return secure(https, publicUrl);
    }

    /** Whether cookies must be Secure: the request came over HTTPS, or the installation's public URL is https. */
    static boolean secure(boolean requestIsSecure, String publicUrl) {
        return requestIsSecure || (publicUrl != null && publicUrl.trim().regionMatches(true, 0, "https:", 0, 6));
    }
}
