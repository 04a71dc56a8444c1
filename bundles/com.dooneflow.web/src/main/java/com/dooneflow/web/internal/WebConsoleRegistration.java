package com.dooneflow.web.internal;

import java.util.Hashtable;

import javax.servlet.Filter;
import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers {@link WebConsoleServlet} and its {@link RootPageFilter} with the HTTP whiteboard, sharing one
 * servlet. The JAX-RS application, mapped to {@code /*}, keeps every other path ({@code /v1/*} included):
 * exact and longer prefix patterns win over {@code /*}.
 */
@Component(immediate = true)
public class WebConsoleRegistration {

    static final String[] PATTERNS = {"/sign-in", "/organizations/*", "/ui/*"};

    private final ServiceRegistration<Servlet> servlet;
    private final ServiceRegistration<Filter> rootFilter;

    @Activate
    public WebConsoleRegistration(BundleContext context) {
        WebConsoleServlet console = new WebConsoleServlet();
        Hashtable<String, Object> servletProperties = new Hashtable<>();
        servletProperties.put("osgi.http.whiteboard.servlet.pattern", PATTERNS);
        servletProperties.put("osgi.http.whiteboard.servlet.name", "dooneflow-web-console");
        servlet = context.registerService(Servlet.class, console, servletProperties);
        Hashtable<String, Object> filterProperties = new Hashtable<>();
        filterProperties.put("osgi.http.whiteboard.filter.pattern", "/*");
        filterProperties.put("osgi.http.whiteboard.filter.name", "dooneflow-web-console-root");
        rootFilter = context.registerService(Filter.class, new RootPageFilter(console), filterProperties);
    }

    @Deactivate
    void deactivate() {
        rootFilter.unregister();
        servlet.unregister();
    }
}
