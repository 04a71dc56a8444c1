package com.dooneflow.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RootPageFilterTest {

    private final RootPageFilter filter = new RootPageFilter(new WebConsoleServlet());

    @ParameterizedTest(name = "{0}{1}: page {2}")
    @CsvSource(nullValues = "null", value = {
            "'', /, true",
            "/v1, /health, false",
            "/v1, /me, false",
            "/webhook, /orders, false",
            "/index.html, null, false"})
    void onlyTheExactRootIsAnsweredWithThePageEverythingElseGoesOn(String servletPath, String pathInfo, boolean page)
            throws Exception {
        FakeHttp.Answer answer = new FakeHttp.Answer();
        AtomicBoolean passedOn = new AtomicBoolean();

        filter.doFilter(FakeHttp.request("GET", servletPath, pathInfo), answer.response(),
                (request, response) -> passedOn.set(true));

        assertThat(passedOn.get()).isEqualTo(!page);
        if (page) {
            assertThat(answer.contentType).isEqualTo("text/html; charset=utf-8");
            assertThat(answer.text()).contains("/ui/app.js");
            assertThat(answer.headers).containsKeys("Content-Security-Policy", "X-Frame-Options");
        } else {
            assertThat(answer.headers).isEmpty();
        }
    }
}
