package com.dooneflow.metrics.internal;

import java.io.IOException;
import java.io.OutputStream;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The Prometheus text format, or OpenMetrics when the scraper asks for it (as Prometheus itself does). */
final class Exposition {

    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private Exposition() {
    }

    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    }

    static void write(PrometheusMeterRegistry registry, String contentType, OutputStream out) throws IOException {
        registry.scrape(out, contentType);
    }
}
