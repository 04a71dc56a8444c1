package com.dooneflow.jetty;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * On the plain HTTP port: every request is answered with a redirect to the same URL on HTTPS (301 for GET and
 * HEAD; 308 otherwise, so a webhook's POST stays a POST with its body), except the health checks, which load
 * balancers and orchestrators call on the plain port.
 */
final class RedirectToHttps implements HttpConfiguration.Customizer {

    private final int httpsPort;

    RedirectToHttps(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    public void customize(Connector connector, HttpConfiguration channelConfig, Request request) {
        String path = request.getRequestURI();
        if (request.isSecure() || path == null || path.equals("/v1/health") || path.startsWith("/v1/health/")) {
            return;
        }
        String host = request.getServerName();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        String query = request.getQueryString();
        String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + path
                + (query == null ? "" : "?" + query);
        String method = request.getMethod();
        Response response = request.getResponse();
        response.setStatus("GET".equals(method) || "HEAD".equals(method) ? 301 : 308);
        response.setHeader(HttpHeader.LOCATION.asString(), location);
        response.setContentLength(0);
        request.setHandled(true);
    }
}
