package com.dooneflow.connector.webhook.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Serves {@code /webhook/*} and {@code /webhook-test/*} as a plain servlet beside the JAX-RS application:
 * webhooks are the hot path, and skipping JAX-RS resource matching and its interceptors leaves the CPU to
 * accepting. The receiving itself is {@link WebhookReceiverResource}'s, unchanged.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/webhook/*",
        "osgi.http.whiteboard.servlet.pattern=/webhook-test/*",
        "osgi.http.whiteboard.servlet.name=dooneflow-webhook-receiver"})
public class WebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookServlet.class);

    private final transient WebhookReceiverResource receiver;

    @Activate
    public WebhookServlet(@Reference WebhookReceiverResource receiver) {
        this.receiver = receiver;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String kind = request.getServletPath().substring(1);
        String path = request.getPathInfo() == null ? "" : request.getPathInfo().replaceFirst("^/", "");
        if (path.isEmpty()) {
            write(Problems.response(404, "not-found", "Not found", "No webhook is registered at this path."), response);
            return;
        }
        WebhookHeaders headers = new WebhookHeaders();
        // The connection's address (a proxy's, behind one): forwarded headers are anyone's to forge.
        headers.clientAddress = request.getRemoteAddr();
        headers.authorization = request.getHeader("Authorization");
        headers.csrfToken = request.getHeader(WebhookHeaders.CSRF_TOKEN);
        if (request.getCookies() != null) {
            for (javax.servlet.http.Cookie cookie : request.getCookies()) {
                if (WebhookHeaders.SESSION_COOKIE.equals(cookie.getName())) {
                    headers.session = cookie.getValue();
                }
            }
        }
        headers.contentType = request.getContentType();
        headers.key = request.getHeader("X-Webhook-Key");
        headers.webhookId = request.getHeader(StandardWebhooks.ID);
        headers.webhookTimestamp = request.getHeader(StandardWebhooks.TIMESTAMP);
        headers.webhookSignature = request.getHeader(StandardWebhooks.SIGNATURE);
        headers.idempotencyKey = request.getHeader(WebhookHeaders.IDEMPOTENCY_KEY);
        write(receiver.receive(kind, path, headers, request.getInputStream()), response);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException,
            javax.servlet.ServletException {
        if ("POST".equals(request.getMethod())) {
            super.service(request, response);
            return;
        }
        response.setHeader("Allow", "POST");
        write(Problems.response(405, "http-405", "Method Not Allowed", "Webhooks are sent with POST."), response);
    }

    /** Writes a receiver response: status, headers, and a JSON entity (maps) or text (problems). */
    private static void write(Response r, HttpServletResponse out) throws IOException {
        Object entity = r.getEntity();
        byte[] body = null;
        if (entity != null) {
            try {
                // Serialised before anything is sent, so a failure can still become a proper 500.
                body = entity instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : Json.MAPPER.writeValueAsBytes(entity);
            } catch (JsonProcessingException e) {
                LOG.error("A webhook answer could not be written as JSON", e);
                write(Problems.response(500, "internal", "Internal error",
                        "The answer could not be written; the server log has the details."), out);
                return;
            }
        }
        out.setStatus(r.getStatus());
        r.getStringHeaders().forEach((name, values) -> {
            for (String v : (List<String>) values) {
                out.addHeader(name, v);
            }
        });
        if (body == null) {
            return;
        }
        if (r.getMediaType() != null) {
            out.setContentType(r.getMediaType().toString());
        }
        out.setContentLength(body.length);
        try (OutputStream os = out.getOutputStream()) {
            os.write(body);
        }
    }
}
