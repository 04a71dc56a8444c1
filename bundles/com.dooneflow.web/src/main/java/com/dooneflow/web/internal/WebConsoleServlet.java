package com.dooneflow.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Serves the browser console: its static files under {@code /ui/*}, and its single page for the root and
 * every client-side route ({@code /sign-in}, {@code /organizations/*}). {@link WebConsoleRegistration} puts it
 * on the HTTP whiteboard.
 */
public class WebConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where the files live inside the bundle. */
    static final String ROOT = "/webconsole/";

    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    /** Plain names in plain folders: no "..", no empty segments, no backslashes, a known extension. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\\.[a-z0-9]+");

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request.getMethod(), "/ui".equals(request.getServletPath()) ? uiFile(request.getPathInfo()) : "index.html",
                response);
    }

    /** Answers with the single page (for the exact root, which {@link RootPageFilter} hands over). */
    void servePage(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request.getMethod(), "index.html", response);
    }

    private void serve(String method, String file, HttpServletResponse response) throws IOException {
        SECURITY_HEADERS.forEach(response::setHeader);
        response.setHeader("Cache-Control", "no-cache");
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            plain(response, 405, "Method not allowed.");
            return;
        }
        if (file == null || !send(file, response, "HEAD".equals(method))) {
            plain(response, 404, "Not found.");
        }
    }

    /** The file a {@code /ui/...} path names, or null when the name is not one this servlet serves. */
    private static String uiFile(String pathInfo) {
        if (pathInfo == null || !pathInfo.startsWith("/")) {
            return null;
        }
        String name = pathInfo.substring(1);
        return SAFE_NAME.matcher(name).matches() && !name.equals("index.html") ? name : null;
    }

    private boolean send(String name, HttpServletResponse response, boolean headOnly) throws IOException {
        String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return false;
        }
        byte[] body;
        try (InputStream in = WebConsoleServlet.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return false;
            }
            body = in.readAllBytes();
        }
        response.setStatus(200);
        response.setContentType(type);
        response.setContentLength(body.length);
        if (!headOnly) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        }
        return true;
    }

    private static void plain(HttpServletResponse response, int status, String text) throws IOException {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
