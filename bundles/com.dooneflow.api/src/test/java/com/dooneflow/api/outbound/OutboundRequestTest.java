package com.dooneflow.api.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OutboundRequestTest {

    @Test
    void theUrlIsCheckedWhenTheRequestIsMade() {
        assertThatThrownBy(() -> OutboundRequest.get("file:///etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only http and https");
        assertThatThrownBy(() -> OutboundRequest.get("http://0x7f.1/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is refused");
        assertThatThrownBy(() -> OutboundRequest.builder("GE T", "https://example.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an HTTP method");
        assertThat(OutboundRequest.builder("patch", "https://example.com/a").build().method()).isEqualTo("PATCH");
    }

    @Test
    void headersCannotCarryLineBreaksAndReplaceTheirNamesakes() {
        OutboundRequest.Builder b = OutboundRequest.post("https://example.com/");
        assertThatThrownBy(() -> b.header("X-A", "1\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the value of header X-A contains a line break");
        assertThatThrownBy(() -> b.header("Bad Name", "1")).isInstanceOf(IllegalArgumentException.class);
        OutboundRequest r = b.header("X-A", "1").header("x-a", "2").build();
        assertThat(r.headers()).containsExactly(new HttpHeader("x-a", "2"));
    }

    @Test
    void aFormIsEncodedInItsOrder() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "refresh_token");
        fields.put("refresh_token", "a+b/c=");
        OutboundRequest r = OutboundRequest.post("https://example.com/token").form(fields).build();
        assertThat(new String(r.body(), StandardCharsets.US_ASCII))
                .isEqualTo("grant_type=refresh_token&refresh_token=a%2Bb%2Fc%3D");
        assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void boundsHaveDefaultsAndConnectingNeverOutlastsTheWholeExchange() {
        OutboundRequest plain = OutboundRequest.get("https://example.com/").build();
        assertThat(plain.timeout()).isEqualTo(OutboundRequest.DEFAULT_TIMEOUT);
        assertThat(plain.connectTimeout()).isEqualTo(OutboundRequest.DEFAULT_CONNECT_TIMEOUT);
        assertThat(plain.maxResponseBytes()).isEqualTo(OutboundRequest.DEFAULT_MAX_RESPONSE_BYTES);
        assertThat(OutboundRequest.get("https://example.com/").timeout(Duration.ofSeconds(2)).build().connectTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> OutboundRequest.get("https://example.com/").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAnswerReadsItsCharsetHeadersAndRetryAfter() {
        OutboundResponse r = new OutboundResponse(429, List.of(new HttpHeader("Content-Type", "text/plain; charset=\"ISO-8859-1\""),
                new HttpHeader("retry-after", "7")), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), false);
        assertThat(r.text()).isEqualTo("caf\u00e9");
        assertThat(r.header("Retry-After")).isEqualTo("7");
        assertThat(r.retryAfter(Instant.EPOCH)).isEqualTo(Duration.ofSeconds(7));
        assertThat(r.successful()).isFalse();
        OutboundResponse unknownCharset = new OutboundResponse(200, List.of(new HttpHeader("Content-Type",
                "text/plain; charset=nonsense")), "\u00e9".getBytes(StandardCharsets.UTF_8), false);
        assertThat(unknownCharset.text()).isEqualTo("\u00e9");
    }
}
