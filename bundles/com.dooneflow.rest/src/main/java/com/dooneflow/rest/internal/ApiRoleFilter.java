package com.dooneflow.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.dooneflow.api.rest.ProblemDetails;

/**
 * On a node without the {@code api} role, answers every HTTP request — REST API, webhooks, console — with 503 and a
 * problem naming the role, except the health checks, which every node serves so a load balancer or an operator can
 * ask any node what it is. It sits in front of everything served over HTTP (an HTTP whiteboard filter on
 * {@code /*}), so no resource, connector or console page needs to know about roles.
 */
final class ApiRoleFilter implements Filter {

    static final Set<String> ALWAYS_SERVED = Set.of("/v1/health", "/v1/health/live");

    private final byte[] body;

    ApiRoleFilter(String detail) {
        this.body = Problem.json(new ProblemDetails("node-role", "Service Unavailable", 503, detail))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)
                || ALWAYS_SERVED.contains(path(http))) {
            chain.doFilter(request, response);
            return;
        }
        httpResponse.setStatus(503);
        httpResponse.setContentType(Problem.MEDIA_TYPE);
        httpResponse.setContentLength(body.length);
        httpResponse.getOutputStream().write(body);
    }

    /** The path inside the context, without a trailing slash. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
