package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.engine.internal.Templates.Rendered;
import com.dooneflow.engine.internal.Templates.TemplateException;

/** A URL template: values are percent-encoded where they land and never reach the scheme, host or port. */
class UrlTemplatesTest {

    private static Map<String, Object> vars(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static String url(String template, Map<String, Object> vars) {
        return (String) Templates.render("url", template, ParameterType.URL, vars).value();
    }

    @Test
    void theIssuesExampleStaysOneSegmentOfThePath() {
        String rendered = url("http://host/hooks/{name}?q={q}", vars("name", "../../admin/delete?all=1#", "q", "x"));

        assertThat(rendered).isEqualTo("http://host/hooks/..%2F..%2Fadmin%2Fdelete%3Fall%3D1%23?q=x");
        URI uri = URI.create(rendered);
        assertThat(uri.getRawPath()).isEqualTo("/hooks/..%2F..%2Fadmin%2Fdelete%3Fall%3D1%23");
        assertThat(uri.normalize().getRawPath()).as("nothing for a client or proxy to resolve away")
                .isEqualTo("/hooks/..%2F..%2Fadmin%2Fdelete%3Fall%3D1%23");
        assertThat(uri.getRawQuery()).isEqualTo("q=x");
    }

    @Test
    void aQueryValueStaysOneValue() {
        String rendered = url("https://api.example.com/search?q={q}&page=2", vars("q", "a b&x=1+2#frag"));

        assertThat(rendered).isEqualTo("https://api.example.com/search?q=a%20b%26x%3D1%2B2%23frag&page=2");
        assertThat(URI.create(rendered).getRawQuery()).isEqualTo("q=a%20b%26x%3D1%2B2%23frag&page=2");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void aValueThatWouldBeADotSegmentHasItsDotsEncoded(String value) {
        String rendered = url("https://example.com/a/{v}/b", vars("v", value));

        assertThat(rendered).isEqualTo("https://example.com/a/" + "%2E".repeat(value.length()) + "/b");
        assertThat(URI.create(rendered).normalize().getRawPath()).startsWith("/a/%2E");
    }

    @Test
    void dotsThatOnlyTogetherMakeADotSegmentAreEncodedToo() {
        assertThat(url("https://example.com/a/.{v}", vars("v", "."))).isEqualTo("https://example.com/a/%2E%2E");
    }

    @Test
    void dotSegmentsWrittenInTheTemplateAndDotsWithinAValueAreKept() {
        assertThat(url("https://example.com/a/../{v}", vars("v", "report.v2..final")))
                .isEqualTo("https://example.com/a/../report.v2..final");
    }

    @Test
    void fragmentValuesAndUnicodeAreEncoded() {
        assertThat(url("https://example.com/p/{who}#{f}", vars("who", "Zoë Ann", "f", "a#b")))
                .isEqualTo("https://example.com/p/Zo%C3%AB%20Ann#a%23b");
    }

    @Test
    void textWrittenAroundTheVariablesIsKeptAsItIs() {
        assertThat(url("https://example.com:8443/v1/items/{id}?a=1&b={b}", vars("id", 42, "b", true)))
                .isEqualTo("https://example.com:8443/v1/items/42?a=1&b=true");
        assertThat(url("https://example.com/x?y=%20", vars())).isEqualTo("https://example.com/x?y=%20");
    }

    @Test
    void nullRendersEmptyAndListsAsEncodedJson() {
        assertThat(url("https://example.com/x/{n}?l={l}", vars("n", null, "l", List.of("a", "b"))))
                .isEqualTo("https://example.com/x/?l=%5B%22a%22%2C%22b%22%5D");
    }

    @Test
    void unknownVariablesStayAsWrittenAndAreReported() {
        Rendered r = Templates.render("url", "https://example.com/{nope}", ParameterType.URL, vars());

        assertThat(r.value()).isEqualTo("https://example.com/{nope}");
        assertThat(r.unknownVariables()).containsExactly("nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{callback_url}", "https://{host}/x", "https://{host}", "http{s}://example.com/",
            "https://example.com:{port}/x", "https://user{u}@example.com/", "https://example.com{path}",
            "{base}/hooks", "example.com/{p}"})
    void aVariableInTheSchemeHostOrPortIsRefused(String template) {
        assertThat(Templates.urlPathStart(template)).isEqualTo(-1);
        assertThatThrownBy(() -> url(template, vars("callback_url", "https://evil.example", "host", "evil.example",
                "s", "s", "port", "1", "u", "u", "path", "@evil.example", "base", "https://evil.example", "p", "p")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("url: " + Templates.URL_ORIGIN_RULE);
    }

    @Test
    void whereThePathStarts() {
        assertThat(Templates.urlPathStart("https://example.com/a/{b}")).isEqualTo("https://example.com".length());
        assertThat(Templates.urlPathStart("https://example.com?q={q}")).isEqualTo("https://example.com".length());
        assertThat(Templates.urlPathStart("https://example.com#{f}")).isEqualTo("https://example.com".length());
        assertThat(Templates.urlPathStart("https://example.com")).isEqualTo("https://example.com".length());
    }

    @Test
    void aUrlWithoutVariablesIsReturnedUnchanged() {
        String template = "https://example.com/{ not a variable }";
        assertThat(url(template, vars())).isSameAs(template);
    }
}
