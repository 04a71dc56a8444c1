package com.dooneflow.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebConsoleServletTest {

    private final WebConsoleServlet servlet = new WebConsoleServlet();

    private FakeHttp.Answer call(String method, String servletPath, String pathInfo) throws Exception {
        FakeHttp.Answer answer = new FakeHttp.Answer();
        servlet.service(FakeHttp.request(method, servletPath, pathInfo), answer.response());
        return answer;
    }

    @ParameterizedTest(name = "{0}{1} is the single page")
    @CsvSource(nullValues = "null", value = {
            "'', /",
            "/sign-in, null",
            "/organizations, /x/integrations",
            "/organizations, /0b6c/events/9d1f"})
    void theRootAndEveryClientRouteServeTheSinglePage(String servletPath, String pathInfo) throws Exception {
        FakeHttp.Answer answer = call("GET", servletPath, pathInfo);

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.contentType).isEqualTo("text/html; charset=utf-8");
        assertThat(answer.text()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>")
                .contains("/ui/app.css");
        assertThat(answer.headers).containsEntry("Cache-Control", "no-cache");
    }

    @ParameterizedTest(name = "/ui{0} is {1}")
    @CsvSource({
            "/app.js, text/javascript; charset=utf-8",
            "/api.js, text/javascript; charset=utf-8",
            "/app.css, text/css; charset=utf-8"})
    void staticFilesComeWithTheirContentType(String pathInfo, String type) throws Exception {
        FakeHttp.Answer answer = call("GET", "/ui", pathInfo);

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.contentType).isEqualTo(type);
        assertThat(answer.body.size()).isPositive();
        assertThat(answer.headers).containsEntry("Content-Length", String.valueOf(answer.body.size()))
                .containsEntry("Cache-Control", "no-cache");
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        FakeHttp.Answer answer = call("HEAD", "/ui", "/app.js");

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.contentType).startsWith("text/javascript");
        assertThat(answer.body.size()).isZero();
    }

    @ParameterizedTest(name = "/ui{0} is not found")
    @CsvSource(nullValues = "null", value = {
            "/../something", "/../../com/dooneflow/web/internal/WebConsoleServlet.class", "/..%2fapp.js",
            "/missing.js", "/", "null", "/app", "/./app.js", "//app.js", "/sub\\app.js", "/WebConsoleServlet.class",
            "/index.html"})
    void unknownFilesTraversalAndListingsAreNotFound(String pathInfo) throws Exception {
        FakeHttp.Answer answer = call("GET", "/ui", pathInfo);

        assertThat(answer.status).isEqualTo(404);
        assertThat(answer.contentType).startsWith("text/plain");
        assertThat(answer.text()).doesNotContain("import").doesNotContain("<html");
    }

    @Test
    void otherMethodsAreRefused() throws Exception {
        FakeHttp.Answer answer = call("POST", "/organizations", "/x");

        assertThat(answer.status).isEqualTo(405);
        assertThat(answer.headers).containsEntry("Allow", "GET, HEAD");
    }

    @ParameterizedTest(name = "{0} {1}{2} has the security headers")
    @CsvSource(nullValues = "null", value = {
            "GET, '', /", "GET, /ui, /app.js", "GET, /ui, /missing.css", "GET, /ui, /../x", "DELETE, /sign-in, null"})
    void everyAnswerCarriesTheSecurityHeaders(String method, String servletPath, String pathInfo) throws Exception {
        FakeHttp.Answer answer = call(method, servletPath, pathInfo);

        assertThat(answer.headers)
                .containsEntry("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                        + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                        + "form-action 'self'")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "no-referrer")
                .containsEntry("X-Frame-Options", "DENY");
    }
}
