package com.dooneflow.outbound.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.outbound.ApacheOutboundHttp;

/**
 * The installation's {@link OutboundHttp} service. Its allow-list is {@code outboundAllowlist} in
 * {@code etc/com.dooneflow.cfg} or, winning, {@value OutboundGuard#ENV}; a change applies without a restart.
 */
@Component(service = OutboundHttp.class, configurationPid = "com.dooneflow",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class OutboundHttpComponent implements OutboundHttp {

    /** Settings from {@code etc/com.dooneflow.cfg}. */
    public @interface Config {
        String outboundAllowlist() default "";

        int outboundMaxConnections() default ApacheOutboundHttp.DEFAULT_MAX_CONNECTIONS;

        int outboundMaxConnectionsPerHost() default ApacheOutboundHttp.DEFAULT_MAX_CONNECTIONS_PER_HOST;
    }

    private final ApacheOutboundHttp http;

    @Activate
    public OutboundHttpComponent(Config config) {
        http = new ApacheOutboundHttp(OutboundGuard.configured(config.outboundAllowlist()),
                atLeastOne(config.outboundMaxConnections()), atLeastOne(config.outboundMaxConnectionsPerHost()));
    }

    @Modified
    void modified(Config config) {
        http.guard(OutboundGuard.configured(config.outboundAllowlist()));
        http.poolSize(atLeastOne(config.outboundMaxConnections()), atLeastOne(config.outboundMaxConnectionsPerHost()));
    }

    @Deactivate
    void deactivate() throws IOException {
        http.close();
    }

    @Override
    public Call newCall(OutboundRequest request) {
        return http.newCall(request);
    }

    @Override
    public OutboundGuard guard() {
        return http.guard();
    }

    private static int atLeastOne(int value) {
        return Math.max(1, value);
    }
}
