package com.dooneflow.metrics.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts every answer of the main port by route (webhook, api, console) and status class, plus failed
 * authentications (401) and rate-limit refusals (429) on their own. The counters are made once: a request costs a
 * few array reads and one increment.
 */
final class RequestMetricsFilter implements Filter {

    enum Route { WEBHOOK, API, CONSOLE }

    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private final Counter[][] requests = new Counter[Route.values().length][CLASSES.length];
    private final Counter[] unauthenticated = new Counter[Route.values().length];
    private final Counter[] rateLimited = new Counter[Route.values().length];

    RequestMetricsFilter(MeterRegistry registry) {
        for (Route route : Route.values()) {
            String name = route.name().toLowerCase(java.util.Locale.ROOT);
            for (int c = 0; c < CLASSES.length; c++) {
                requests[route.ordinal()][c] = Counter.builder("dooneflow.http.requests")
                        .description("Answers of the main HTTP port by route and status class")
                        .tag("route", name).tag("status_class", CLASSES[c]).register(registry);
            }
            unauthenticated[route.ordinal()] = Counter.builder("dooneflow.auth.failures")
                    .description("Requests refused 401: a wrong or missing token, key, signature or password")
                    .tag("route", name).register(registry);
            rateLimited[route.ordinal()] = Counter.builder("dooneflow.rate.limited")
                    .description("Requests refused 429 by a rate limit").tag("route", name).register(registry);
        }
    }

    static Route route(String path) {
        if (path.startsWith("/webhook/") || path.startsWith("/webhook-test/")) {
            return Route.WEBHOOK;
        }
        return path.startsWith("/v1/") || path.equals("/v1") ? Route.API : Route.CONSOLE;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = ((HttpServletResponse) response).getStatus();
        } finally {
            count(route(((HttpServletRequest) request).getRequestURI()), status);
        }
    }

    void count(Route route, int status) {
        int c = status / 100 - 1;
        requests[route.ordinal()][c < 0 || c > 4 ? 4 : c].increment();
        if (status == 401) {
            unauthenticated[route.ordinal()].increment();
        } else if (status == 429) {
            rateLimited[route.ordinal()].increment();
        }
    }
}
