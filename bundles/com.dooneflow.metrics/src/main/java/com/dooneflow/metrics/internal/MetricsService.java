package com.dooneflow.metrics.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.servlet.Filter;
import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Owns the Prometheus registry. When metrics are on ({@link MetricsSettings}) it adds the registry to Micrometer's
 * global registry, which every part records into (the engine, the database pool, connectors: one line each, no
 * service to look up), binds the JVM's meters, counts HTTP answers and serves {@code /metrics}. When they are off
 * nothing is added, so recording costs a lookup and a no-op.
 */
@Component(immediate = true, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class MetricsService {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsService.class);
    /** Organizations are a label; past this many, further ones are dropped rather than flood the scraper. */
    static final int MAX_ORGANIZATIONS = 1000;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private PrometheusMeterRegistry registry;

    @Activate
    public MetricsService(BundleContext context, Map<String, Object> config) throws IOException {
        MetricsSettings settings = MetricsSettings.read(System::getenv, config);
        if (!settings.enabled()) {
            LOG.info("Metrics are off: set DOONEFLOW_METRICS_PORT or DOONEFLOW_METRICS_TOKEN to serve /metrics");
            return;
        }
        registry = newRegistry();
        closeables.add(registry::close);
        Metrics.addRegistry(registry);
        closeables.add(() -> Metrics.removeRegistry(registry));

        Hashtable<String, Object> filter = new Hashtable<>();
        filter.put("osgi.http.whiteboard.filter.pattern", "/*");
        filter.put("osgi.http.whiteboard.filter.name", "dooneflow-metrics-requests");
        registrations.add(context.registerService(Filter.class, new RequestMetricsFilter(registry), filter));
        String where = "";
        if (settings.token() != null) {
            Hashtable<String, Object> servlet = new Hashtable<>();
            servlet.put("osgi.http.whiteboard.servlet.pattern", "/metrics");
            servlet.put("osgi.http.whiteboard.servlet.name", "dooneflow-metrics");
            registrations.add(context.registerService(Servlet.class, new MetricsServlet(registry, settings.token()), servlet));
            where = "/metrics on the main port (bearer token)";
        }
        if (settings.port() > 0) {
            MetricsPortServer server = new MetricsPortServer(registry, settings.host(), settings.port());
            closeables.add(server);
            where += (where.isEmpty() ? "" : " and ") + "http://" + settings.host() + ":" + server.port() + "/metrics";
        }
        LOG.info("Metrics are served at {}", where);
    }

    /** The registry with the JVM's meters and the limit on organization labels. */
    PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().meterFilter(MeterFilter.maximumAllowableTags("dooneflow", "organization", MAX_ORGANIZATIONS,
                MeterFilter.deny()));
        new ClassLoaderMetrics().bindTo(r);
        new JvmMemoryMetrics().bindTo(r);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(r);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        new FileDescriptorMetrics().bindTo(r);
        return r;
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                LOG.warn("Could not stop part of the metrics", e);
            }
        }
        closeables.clear();
    }
}
