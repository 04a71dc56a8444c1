package com.dooneflow.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.twilio.http.HttpMethod;
import com.twilio.http.Request;

/** The URL rewrite on its own; SendSmsActionTest shows the rest of the request survives it on the wire. */
class BaseUrlHttpClientTest {

    private static Request twilioRequest() {
        Request r = new Request(HttpMethod.GET, "api", "/2010-04-01/Accounts/AC1/Messages.json");
        r.setAuth("AC1", "token");
        r.addQueryParam("To", "+14155550123");
        r.addPostParam("Body", "Hi");
        r.addHeaderParam("X-Extra", "1");
        return r;
    }

    @Test
    void schemeHostAndPortAreReplacedAndEverythingElseKept() {
        Request original = twilioRequest();
        Request moved = new BaseUrlHttpClient.Redirected(original, URI.create("http://127.0.0.1:8089"));

        assertThat(moved.constructURL().toString())
                .isEqualTo("http://127.0.0.1:8089/2010-04-01/Accounts/AC1/Messages.json?To=%2B14155550123");
        assertThat(moved.getAuthString()).isEqualTo(original.getAuthString()).startsWith("Basic ");
        assertThat(moved.getPostParams()).isEqualTo(original.getPostParams());
        assertThat(moved.getHeaderParams()).isEqualTo(original.getHeaderParams());
        assertThat(moved.getMethod()).isEqualTo(HttpMethod.GET);
    }

    @Test
    void aBasePathIsPrefixedAndHostsWithManyLabelsAreLeftAlone() {
        Request moved = new BaseUrlHttpClient.Redirected(twilioRequest(),
                BaseUrlHttpClient.parse("https://a.b.c.d.e.example.com/twilio/", "url"));
        assertThat(moved.constructURL().toString()).isEqualTo(
                "https://a.b.c.d.e.example.com/twilio/2010-04-01/Accounts/AC1/Messages.json?To=%2B14155550123");
    }

    @Test
    void theDefaultGoesToTwilioAndBadUrlsAreRefused() {
        assertThat(new BaseUrlHttpClient(null, Duration.ofSeconds(1)).baseUrl()).isEqualTo(URI.create("https://api.twilio.com"));
        assertThat(new BaseUrlHttpClient("https://api.twilio.com/", Duration.ofSeconds(1)).baseUrl())
                .isEqualTo(URI.create("https://api.twilio.com"));
        assertThat(twilioRequest().constructURL().toString()).startsWith("https://api.twilio.com/2010-04-01/");
        assertThatThrownBy(() -> new BaseUrlHttpClient("ftp://x", Duration.ofSeconds(1)))
                .hasMessageContaining("http or https URL");
        assertThatThrownBy(() -> new BaseUrlHttpClient("http://x/?a=1", Duration.ofSeconds(1)))
                .hasMessageContaining("no query");
    }

    @Test
    void environmentWinsOverConfiguration() {
        assertThat(TwilioApi.firstSet("http://env:1", "http://config:2")).isEqualTo("http://env:1");
        assertThat(TwilioApi.firstSet(" ", "http://config:2")).isEqualTo("http://config:2");
        assertThat(TwilioApi.firstSet(null, "http://config:2")).isEqualTo("http://config:2");
    }

    @Test
    void noCallbackIsGivenToTheRealTwilioForALoopbackPublicUrl() {
        TwilioApi real = new TwilioApi(null, "http://localhost:8181", Duration.ofSeconds(1));
        assertThat(real.statusCallbackUrl("o", "e", 0)).isEmpty();
        real.close();
        TwilioApi fake = new TwilioApi("http://127.0.0.1:9", "http://localhost:8181", Duration.ofSeconds(1));
        assertThat(fake.statusCallbackUrl("o", "e", 2)).contains("http://localhost:8181/v1/twilio/status/o/e/2");
        fake.close();
        TwilioApi published = new TwilioApi(null, "https://flows.example.com/", Duration.ofSeconds(1));
        assertThat(published.statusCallbackUrl("o", "e", 1)).contains("https://flows.example.com/v1/twilio/status/o/e/1");
        published.close();
    }
}
