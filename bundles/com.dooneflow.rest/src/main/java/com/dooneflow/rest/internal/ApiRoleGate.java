package com.dooneflow.rest.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

import javax.servlet.Filter;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.NodeRole;

/**
 * Puts {@link ApiRoleFilter} in front of HTTP on a node whose roles ({@code DOONEFLOW_ROLES}, else {@code roles} in
 * {@code etc/com.dooneflow.cfg}) leave out {@code api}; on an api node it registers nothing. It reads the setting
 * itself rather than wait for the cluster service, which needs the database: a worker node must not serve the API
 * even while it starts. Roles it cannot read count as no api role (the node refuses to start anyway).
 */
@Component(immediate = true, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ApiRoleGate {

    static final String ENV = "DOONEFLOW_ROLES";

    private final ServiceRegistration<Filter> filter;

    @Activate
    public ApiRoleGate(BundleContext context, Map<String, Object> config) {
        String detail = refusal(System.getenv(ENV), config == null ? null : config.get("roles"));
        if (detail == null) {
            filter = null;
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.filter.pattern", "/*");
        properties.put("osgi.http.whiteboard.filter.name", "dooneflow-api-role");
        properties.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE); // before every other filter
        filter = context.registerService(Filter.class, new ApiRoleFilter(detail), properties);
        LoggerFactory.getLogger(ApiRoleGate.class).info("This node has no api role: it serves only /v1/health; {}",
                detail);
    }

    /** Why this node serves no API (the problem's detail), or null when it has the api role. */
    static String refusal(String fromEnv, Object fromConfig) {
        String value = fromEnv != null && !fromEnv.isBlank() ? fromEnv
                : fromConfig == null ? null : fromConfig.toString();
        try {
            Set<NodeRole> roles = NodeRole.parse(value);
            if (roles.contains(NodeRole.API)) {
                return null;
            }
            return "This node's roles are " + NodeRole.format(roles) + ", without api: the REST API, webhooks and "
                    + "the console are served by the nodes with the api role. Send requests to them (put only those "
                    + "behind the load balancer).";
        } catch (IllegalArgumentException e) {
            return "This node serves nothing: " + e.getMessage();
        }
    }

    @Deactivate
    void deactivate() {
        if (filter != null) {
            filter.unregister();
        }
    }
}
