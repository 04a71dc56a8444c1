package com.dooneflow.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics} on the main port, only for callers that send the configured token as a bearer token
 * (compared in constant time). Anyone else gets a 401 problem.
 */
final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final transient PrometheusMeterRegistry registry;
    private final byte[] expected;

    MetricsServlet(PrometheusMeterRegistry registry, String token) {
        this.registry = registry;
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String sent = req.getHeader("Authorization");
        if (sent == null || !MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
            resp.setStatus(401);
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
            resp.setContentType("application/problem+json");
            resp.getOutputStream().write(("{\"type\":\"https://dooneflow.org/problems/unauthorized\",\"title\":"
                    + "\"Unauthorized\",\"status\":401,\"detail\":\"/metrics needs the metrics token "
                    + "(DOONEFLOW_METRICS_TOKEN) as a bearer token\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String type = Exposition.contentType(req.getHeader("Accept"));
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-store");
        Exposition.write(registry, type, resp.getOutputStream());
    }
}
