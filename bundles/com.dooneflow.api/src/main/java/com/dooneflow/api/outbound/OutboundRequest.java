package com.dooneflow.api.outbound;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One request for {@link OutboundHttp}: method, URL (checked by {@link OutboundGuard#checkUrl} when the builder is
 * made), headers, an optional body, and its bounds: the time the whole exchange may take, the time connecting may
 * take, and how many bytes of the answer are read.
 *
 * <pre>{@code
 * OutboundResponse answer = http.send(OutboundRequest.post(url)
 *         .header("Idempotency-Key", ctx.idempotencyKey())
 *         .body(json, "application/json")
 *         .timeout(Duration.ofSeconds(15))
 *         .build());
 * }</pre>
 */
public final class OutboundRequest {

    /** The whole exchange, unless the request says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Connecting, unless the request says otherwise (never longer than the whole exchange). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Bytes of an answer's body read, unless the request says otherwise; the rest is left unread. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final String method;
    private final URI uri;
    private final List<HttpHeader> headers;
    private final byte[] body;
    private final String contentType;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final int maxResponseBytes;

    private OutboundRequest(Builder b) {
        this.method = b.method;
        this.uri = b.uri;
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.contentType = b.contentType;
        this.timeout = b.timeout;
        this.connectTimeout = b.connectTimeout.compareTo(b.timeout) > 0 ? b.timeout : b.connectTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /** A request with any method; IllegalArgumentException saying what is wrong with the method or the URL. */
    public static Builder builder(String method, String url) {
        return new Builder(method, OutboundGuard.checkUrl(Objects.requireNonNull(url, "url")));
    }

    public static Builder get(String url) {
        return builder("GET", url);
    }

    public static Builder post(String url) {
        return builder("POST", url);
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    public List<HttpHeader> headers() {
        return headers;
    }

    /** The body, or null when the request has none. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The body's media type, or null when the request has no body. */
    public String contentType() {
        return contentType;
    }

    /** The bound of the whole exchange: connecting, sending, and reading the complete answer. */
    public Duration timeout() {
        return timeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    public static final class Builder {
        private final String method;
        private final URI uri;
        private final List<HttpHeader> headers = new ArrayList<>();
        private byte[] body;
        private String contentType;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder(String method, URI uri) {
            if (method == null || !TOKEN.matcher(method).matches()) {
                throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            this.uri = uri;
        }

        /**
         * Sets a header, replacing one of the same name; IllegalArgumentException for an invalid name or a value with
         * a line break (which would let it inject headers).
         */
        public Builder header(String name, String value) {
            if (name == null || !TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a valid header name");
            }
            Objects.requireNonNull(value, "value");
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the value of header " + name + " contains a line break");
            }
            headers.removeIf(h -> h.name().equalsIgnoreCase(name));
            headers.add(new HttpHeader(name, value));
            return this;
        }

        /** The body and its media type (sent as {@code Content-Type} unless a header says otherwise). */
        public Builder body(byte[] bytes, String mediaType) {
            this.body = Objects.requireNonNull(bytes, "bytes").clone();
            this.contentType = Objects.requireNonNull(mediaType, "mediaType");
            return this;
        }

        /** An {@code application/x-www-form-urlencoded} body of these fields, in their order. */
        public Builder form(Map<String, String> fields) {
            String encoded = fields.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            return body(encoded.getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded");
        }

        /** The bound of the whole exchange; 1 ms or more. */
        public Builder timeout(Duration value) {
            this.timeout = positive(value, "timeout");
            return this;
        }

        /** The bound of connecting (shortened to the whole exchange's); 1 ms or more. */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** Bytes of the answer's body read; {@link OutboundResponse#truncated()} says when there was more. */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxResponseBytes must be 0 or more");
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        public OutboundRequest build() {
            return new OutboundRequest(this);
        }

        private static Duration positive(Duration value, String what) {
            if (value == null || value.toMillis() < 1) {
                throw new IllegalArgumentException(what + " must be 1 ms or more");
            }
            return value;
        }

        private static String encode(String s) {
            return URLEncoder.encode(Objects.requireNonNull(s, "form field"), StandardCharsets.UTF_8);
        }
    }
}
