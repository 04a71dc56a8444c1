package com.dooneflow.api.outbound;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.dooneflow.api.spi.RetryAfter;

/** A complete answer to an {@link OutboundRequest}: status, headers and the body, read up to the request's limit. */
public final class OutboundResponse {

    private final int status;
    private final List<HttpHeader> headers;
    private final byte[] body;
    private final boolean truncated;

    public OutboundResponse(int status, List<HttpHeader> headers, byte[] body, boolean truncated) {
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
        this.truncated = truncated;
    }

    public int status() {
        return status;
    }

    /** 2xx. */
    public boolean successful() {
        return status >= 200 && status < 300;
    }

    public List<HttpHeader> headers() {
        return headers;
    }

    /** The first value of a header (names compare without case), or null. */
    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst()
                .orElse(null);
    }

    /** The body's bytes as read: at most the request's {@link OutboundRequest#maxResponseBytes()}. */
    public byte[] body() {
        return body.clone();
    }

    /** True when the body was longer than the request's limit and only its start was read. */
    public boolean truncated() {
        return truncated;
    }

    /** The body as text, in the charset its {@code Content-Type} names (UTF-8 when it names none or an unknown one). */
    public String text() {
        return new String(body, charset(header("Content-Type")));
    }

    /** The wait the {@code Retry-After} header asks for, from {@code now}; null when there is none or it is unreadable. */
    public Duration retryAfter(Instant now) {
        return RetryAfter.parse(header("Retry-After"), now);
    }

    static Charset charset(String contentType) {
        if (contentType != null) {
            for (String parameter : contentType.split(";")) {
                String p = parameter.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").trim());
                    } catch (RuntimeException e) {
                        return StandardCharsets.UTF_8; // unknown or malformed: read as UTF-8
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
