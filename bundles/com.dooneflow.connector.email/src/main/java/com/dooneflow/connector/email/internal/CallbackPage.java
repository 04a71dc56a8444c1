package com.dooneflow.connector.email.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import com.dooneflow.api.rest.ProblemDetails;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The answer to the browser (or an API client) coming back from a mail provider's consent. */
final class CallbackPage {

    /**
     * The console's security headers: the page may not be framed, and its address, which carries the authorization
     * code, is never sent on as a referrer.
     */
    private static final Map<String, String> HTML_SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CallbackPage() {
    }

    static Response json(InboxSignIn.CallbackResult result) {
        Map<String, Object> body;
        String type;
        if (result.status() == 200) {
            type = MediaType.APPLICATION_JSON;
            body = new LinkedHashMap<>();
            body.put("status", Inbox.CONNECTED);
            body.put("message", result.message());
            body.put("inbox", result.inbox().view());
        } else {
            type = ProblemDetails.MEDIA_TYPE;
            body = new ProblemDetails("email-authorization", "Mailbox sign-in failed", result.status(),
                    result.message()).body();
        }
        try {
            // Written here, as a String, so the answer is the same whichever JSON provider is present.
            return Response.status(result.status()).type(type).entity(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response html(String orgId, InboxSignIn.CallbackResult result) {
        String title = result.status() == 200 ? "Inbox connected" : "Inbox sign-in failed";
        String back = "/organizations/" + URLEncoder.encode(orgId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/integrations/email";
        String page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>"
                + "<h1>" + title + "</h1><p>" + escape(result.message()) + "</p>"
                + "<p><a id=\"back-to-inboxes\" href=\"" + escape(back) + "\">Back to Email Inboxes</a></p>"
                + "</body></html>";
        Response.ResponseBuilder answer = Response.status(result.status()).type(MediaType.TEXT_HTML + ";charset=utf-8")
                .entity(page);
        HTML_SECURITY_HEADERS.forEach(answer::header);
        return answer.build();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
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
