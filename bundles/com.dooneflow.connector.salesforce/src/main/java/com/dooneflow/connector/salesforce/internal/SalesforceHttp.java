package com.dooneflow.connector.salesforce.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.apache.http.Header;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

import com.dooneflow.api.outbound.OutboundGuard;

/**
 * The HTTP transport to Salesforce's login hosts and instances: one pooled client whose only DNS lookup goes
 * through {@link OutboundGuard}, no redirects, no automatic retries (the engine retries with backoff), timeouts
 * always. Base URLs that users or Salesforce hand us pass {@link #checkBaseUrl} first.
 */
final class SalesforceHttp implements Closeable {

    /** Bytes read from a response; Salesforce's answers to single-record calls are far smaller. */
    static final int READ_LIMIT = 256 * 1024;

    private final CloseableHttpClient client;
    private final RequestConfig config;
    private volatile OutboundGuard guard;

    /** A complete answer: status, body as text and the two headers we use (either may be null). */
    record Reply(int status, String body, String limitInfo, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    SalesforceHttp(OutboundGuard guard, Duration timeout) {
        this.guard = guard;
        int millis = (int) timeout.toMillis();
        this.config = RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).setRedirectsEnabled(false).build();
        this.client = HttpClients.custom()
                .setDnsResolver(host -> this.guard.resolve(host)) // the only lookup: no second, unchecked one
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("DooneFlow")
                .setDefaultRequestConfig(config)
                .setMaxConnTotal(64).setMaxConnPerRoute(16)
                .build();
    }

    void guard(OutboundGuard newGuard) {
        this.guard = newGuard;
    }

    /** Sends the request; IOException for network trouble and timeouts (callers treat them as transient). */
    Reply send(RequestBuilder request) throws IOException {
        request.setConfig(config);
        try (CloseableHttpResponse response = client.execute(request.build())) {
            String body = "";
            if (response.getEntity() != null) {
                try (InputStream in = response.getEntity().getContent()) {
                    body = new String(in.readNBytes(READ_LIMIT), StandardCharsets.UTF_8);
                }
            }
            Header limit = response.getFirstHeader("Sforce-Limit-Info");
            Header retryAfter = response.getFirstHeader("Retry-After");
            return new Reply(response.getStatusLine().getStatusCode(), body, limit == null ? null : limit.getValue(),
                    retryAfter == null ? null : retryAfter.getValue());
        }
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
            InetAddress[] addresses = guard.resolve(host);
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

    @Override
    public void close() throws IOException {
        client.close();
    }
}
