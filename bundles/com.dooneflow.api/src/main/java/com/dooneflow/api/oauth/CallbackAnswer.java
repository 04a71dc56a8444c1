package com.dooneflow.api.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.dooneflow.api.json.Json;
import com.dooneflow.api.rest.ProblemDetails;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a connector's public OAuth callback answers: a small HTML page for a browser, JSON for an API client. The page
 * has no script and no style (the web console's Content-Security-Policy allows neither inline), every text on it is
 * escaped, and it is sent with the console's security headers: it may not be framed, and its address, which carries
 * the authorization code, is never sent on as a referrer. A JAX-RS resource answers
 * {@code Response.status(a.status()).type(a.mediaType()).entity(a.body())} with each of {@link #headers()}.
 */
public record CallbackAnswer(int status, String mediaType, String body, Map<String, String> headers) {

    /** The web console's security headers, which the HTML page carries too. */
    public static final Map<String, String> HTML_SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private static final ObjectMapper JSON = Json.mapper();

    public CallbackAnswer {
        headers = Map.copyOf(headers);
    }

    /** A link back into the web console: its path, each segment URL-encoded, and the link's id and text. */
    public record ConsoleLink(String id, String text, String path) {

        /** {@code segments} joined under {@code /}, each encoded: {@code of("back", "Back", "organizations", orgId)}. */
        public static ConsoleLink of(String id, String text, String... segments) {
            StringBuilder path = new StringBuilder();
            for (String segment : segments) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return new ConsoleLink(id, text, path.toString());
        }
    }

    /** The page for a browser: the title as heading, the message, and the way back to the console. */
    public static CallbackAnswer html(int status, String title, String message, ConsoleLink back) {
        String page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>"
                + "<body><h1>" + escape(title) + "</h1><p>" + escape(message) + "</p>"
                + "<p><a id=\"" + escape(back.id()) + "\" href=\"" + escape(back.path()) + "\">" + escape(back.text())
                + "</a></p></body></html>";
        return new CallbackAnswer(status, "text/html;charset=utf-8", page, HTML_SECURITY_HEADERS);
    }

    /**
     * 200 for an API client: {@code {"status": "connected", "message": ..., <name>: <what was connected>}}.
     */
    public static CallbackAnswer connected(String message, String name, Object connected) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "connected");
        body.put("message", message);
        body.put(name, connected);
        return json(200, "application/json", body);
    }

    /** A failed callback for an API client, as an RFC 9457 problem of this kind and title. */
    public static CallbackAnswer problem(String kind, String title, int status, String message) {
        return json(status, ProblemDetails.MEDIA_TYPE, new ProblemDetails(kind, title, status, message).body());
    }

    // Written here, as a String, so the answer is the same whichever JSON provider the platform has.
    private static CallbackAnswer json(int status, String mediaType, Map<String, Object> body) {
        try {
            return new CallbackAnswer(status, mediaType, JSON.writeValueAsString(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text for HTML content and quoted attributes. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
