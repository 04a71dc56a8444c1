package com.dooneflow.connector.twilio.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

import com.dooneflow.api.json.Json;
import com.dooneflow.api.spi.RetryAfter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.exception.RestException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * The SDK's HTTP client, pointed at a configurable Twilio endpoint. twilio-java always builds
 * {@code https://api.twilio.com/...}; this client swaps scheme, host and port (and prepends a base path, if any)
 * and keeps everything else of the request: path, query, form parameters, headers and Basic auth. With the default
 * endpoint nothing is rewritten.
 *
 * <p>Each call makes exactly one HTTP request. The SDK's own loop would re-POST a message at once on a 5xx and
 * HttpClient's on a 429/503; the workflow engine retries instead, with backoff, after the step has recorded what
 * happened. When such an answer carries {@code Retry-After}, it becomes a {@link TwilioBusyException} so the
 * engine waits at least that long.
 */
final class BaseUrlHttpClient extends NetworkHttpClient {

    static final String DEFAULT_URL = "https://api.twilio.com";
    private static final ObjectMapper ERRORS = Json.mapper();

    /** Null when requests go to Twilio itself. */
    private final URI base;

    BaseUrlHttpClient(String baseUrl, Duration readTimeout) {
        this(baseUrl, readTimeout, SystemDefaultDnsResolver.INSTANCE);
    }

    /** With {@code dns} resolving host names (tests use one that knows no names, to reach no network). */
    BaseUrlHttpClient(String baseUrl, Duration readTimeout, DnsResolver dns) {
        super(HttpClientBuilder.create()
                .useSystemProperties()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(dns)
                        .setDefaultSocketConfig(SocketConfig.custom()
                                .setSoTimeout(Timeout.ofMilliseconds(readTimeout.toMillis())).setSoKeepAlive(true).build())
                        .setMaxConnPerRoute(20).setMaxConnTotal(100).build())
                // HttpClient 5 would re-POST on 429/503 by itself: the engine retries instead, journalled, with backoff.
                .disableAutomaticRetries());
        URI uri = parse(baseUrl == null || baseUrl.isBlank() ? DEFAULT_URL : baseUrl, "the Twilio API URL");
        this.base = uri.equals(URI.create(DEFAULT_URL)) ? null : uri;
    }

    /** An http(s) URL with a host and nothing but an optional path; a trailing slash is dropped. */
    static URI parse(String baseUrl, String what) {
        String text = baseUrl.trim();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " '" + text
                    + "' must be an http or https URL with a host and no query, e.g. https://api.twilio.com");
        }
        return uri;
    }

    URI baseUrl() {
        return base == null ? URI.create(DEFAULT_URL) : base;
    }

    void close() throws IOException {
        client.close();
    }

    @Override
    public Response makeRequest(Request request) {
        Response response = super.makeRequest(base == null ? request : new Redirected(request, base));
        if (response == null || !TwilioErrors.isTransient(response.getStatusCode())) {
            return response;
        }
        Header header = response.getHeaders() == null ? null : Arrays.stream(response.getHeaders())
                .filter(h -> "Retry-After".equalsIgnoreCase(h.getName())).findFirst().orElse(null);
        Duration wait = RetryAfter.parse(header == null ? null : header.getValue(), Instant.now());
        if (wait == null) {
            return response;
        }
        // read once: the SDK reads the body again when this is not Twilio's error document
        String content = response.getContent();
        Response readAgain = new Response(content, response.getStatusCode(), response.getHeaders());
        RestException error;
        try {
            error = RestException.fromJson(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), ERRORS);
        } catch (ApiException unreadable) {
            return readAgain;
        }
        if (error == null) {
            return readAgain;
        }
        throw new TwilioBusyException(error, wait);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    /** A copy of an SDK request whose URL points at {@code base}. */
    static final class Redirected extends Request {
        private final URI base;

        Redirected(Request original, URI base) {
            super(original.getMethod(), original.getUrl());
            this.base = base;
            if (original.getUsername() != null) {
                setAuth(original.getUsername(), original.getPassword());
            } else if (original.getAuthStrategy() != null) {
                setAuth(original.getAuthStrategy());
            }
            queryParams.putAll(original.getQueryParams());
            postParams.putAll(original.getPostParams());
            headerParams.putAll(original.getHeaderParams());
            setFormParameters(original.getFormParameters());
            setContentType(original.getContentType());
            setBody(original.getBody());
            setUserAgentExtensions(original.getUserAgentExtensions());
        }

        @Override
        protected String buildURL() {
            URI twilio = URI.create(super.buildURL()); // the SDK's URL, path segments already encoded
            String basePath = base.getRawPath() == null ? "" : base.getRawPath();
            return base.getScheme() + "://" + base.getRawAuthority() + basePath + twilio.getRawPath()
                    + (twilio.getRawQuery() == null ? "" : "?" + twilio.getRawQuery());
        }
    }
}
