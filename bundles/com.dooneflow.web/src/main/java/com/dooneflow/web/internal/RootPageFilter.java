package com.dooneflow.web.internal;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Serves the console's page at the exact root {@code /}. The JAX-RS application is mapped to {@code /*}, which
 * beats the default-servlet pattern {@code /} (and the whiteboard turns "" into "/"), so a servlet can never
 * get the root; this filter takes that one path and passes every other request on untouched.
 */
final class RootPageFilter implements Filter {

    private final WebConsoleServlet console;

    RootPageFilter(WebConsoleServlet console) {
        this.console = console;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
                && isRoot(http)) {
            console.servePage(http, httpResponse);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isRoot(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        return uri != null && uri.equals(context + "/");
    }
}
