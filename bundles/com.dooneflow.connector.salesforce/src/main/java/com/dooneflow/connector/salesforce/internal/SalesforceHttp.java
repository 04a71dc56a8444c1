package com.dooneflow.connector.salesforce.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundResponse;

/**
 * Calls to Salesforce's login hosts and instances, through the installation's {@link OutboundHttp} (SSRF guard, no
 * redirects, no automatic retries: the engine retries with backoff) with this connector's time and size bounds.
 * Base URLs that users or Salesforce hand us pass {@link #checkBaseUrl} first.
 */
final class SalesforceHttp {

    /** Bytes read from a response; Salesforce's answers to single-record calls are far smaller. */
    static final int READ_LIMIT = 256 * 1024;

    private final OutboundHttp http;
    private final Duration timeout;

    /** A complete answer: status, body as text and the two headers we use (either may be null). */
    record Reply(int status, String body, String limitInfo, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    SalesforceHttp(OutboundHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** A request with this connector's bounds; IllegalArgumentException for a URL that may not be called. */
    OutboundRequest.Builder request(String method, String url) {
        return OutboundRequest.builder(method, url).timeout(timeout).connectTimeout(timeout)
                .maxResponseBytes(READ_LIMIT);
    }

    /** Sends the request; IOException for network trouble and timeouts (callers treat them as transient). */
    Reply send(OutboundRequest.Builder request) throws IOException {
        OutboundResponse response = http.send(request.build());
        return new Reply(response.status(), new String(response.body(), StandardCharsets.UTF_8),
                response.header("Sforce-Limit-Info"), response.header("Retry-After"));
    }

    /**
     * A login host or instance URL we may call: http(s) with a host and nothing after it but an optional slash.
     * Plain http only reaches hosts an administrator allow-listed (a local test double); everything else must be
     * https, since tokens travel over it. Returns the URL without a trailing slash.
     */
    String checkBaseUrl(String url) {
        URI uri = OutboundGuard.checkUrl(url);
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must be just a scheme and host, like https://login.salesforce.com");
        }
        if (uri.getScheme().toLowerCase(Locale.ROOT).equals("http") && !allowListed(uri.getHost())) {
            throw new IllegalArgumentException("must use https (plain http only for a host an administrator allowed"
                    + " with " + OutboundGuard.ENV + ")");
        }
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** True when the guard lets the host through although it is not public: only an allowlist does that. */
    private boolean allowListed(String host) {
        try {
            InetAddress[] addresses = http.guard().resolve(host);
            for (InetAddress a : addresses) {
                if (OutboundGuard.isPublic(a)) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
