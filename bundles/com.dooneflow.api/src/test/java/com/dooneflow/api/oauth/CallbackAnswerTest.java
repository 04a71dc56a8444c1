package com.dooneflow.api.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CallbackAnswerTest {

    @Test
    void thePageEscapesEverythingAndCarriesTheConsolesSecurityHeaders() {
        CallbackAnswer a = CallbackAnswer.html(400, "Sign-in <failed>", "The provider said <script>alert('x')</script>"
                + " & \"more\"", CallbackAnswer.ConsoleLink.of("back", "Back", "organizations", "org \"1\"/<x>",
                "integrations"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.mediaType()).isEqualTo("text/html;charset=utf-8");
        assertThat(a.body()).isEqualTo("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sign-in &lt;failed&gt;"
                + "</title></head><body><h1>Sign-in &lt;failed&gt;</h1><p>The provider said &lt;script&gt;alert(&#39;x&#39;)"
                + "&lt;/script&gt; &amp; &quot;more&quot;</p><p><a id=\"back\" href=\"/organizations/org%20%221%22%2F%3Cx%3E"
                + "/integrations\">Back</a></p></body></html>");
        assertThat(a.body()).doesNotContain("<script", "style");
        assertThat(a.headers()).containsEntry("X-Frame-Options", "DENY").containsEntry("Referrer-Policy", "no-referrer")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .hasEntrySatisfying("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
    }

    @Test
    void anApiClientGetsJsonWhenConnectedAndAProblemOtherwise() {
        CallbackAnswer ok = CallbackAnswer.connected("Inbox a@b.c is connected.", "inbox", Map.of("id", "i-1"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.mediaType()).isEqualTo("application/json");
        assertThat(ok.body()).isEqualTo("{\"status\":\"connected\",\"message\":\"Inbox a@b.c is connected.\","
                + "\"inbox\":{\"id\":\"i-1\"}}");
        assertThat(ok.headers()).isEmpty();

        CallbackAnswer failed = CallbackAnswer.problem("email-authorization", "Mailbox sign-in failed", 502, "later");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.mediaType()).isEqualTo("application/problem+json");
        assertThat(failed.body()).isEqualTo("{\"type\":\"https://dooneflow.org/problems/email-authorization\","
                + "\"title\":\"Mailbox sign-in failed\",\"status\":502,\"detail\":\"later\"}");
    }
}
