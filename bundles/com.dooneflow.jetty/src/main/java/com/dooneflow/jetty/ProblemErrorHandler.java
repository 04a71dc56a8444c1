package com.dooneflow.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.QuotedStringTokenizer;

/**
 * The Jetty server's error handler: what Jetty answers itself, before any servlet sees the request (a path it
 * refuses, a URI or headers too large), is an RFC 9457 problem like every other error of DooneFlow, not an
 * HTML page. Errors inside the servlet contexts are the REST API's and the webhook receiver's own.
 */
public class ProblemErrorHandler extends ErrorHandler {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://dooneflow.org/problems/http-";
    static final String RETRY_AFTER_SECONDS = "5";
    /** The start gate's problem (com.dooneflow.rest's StartGate), which this fragment cannot import. */
    static final String STARTING = "{\"type\":\"https://dooneflow.org/problems/starting\",\"title\":"
            + "\"Service Unavailable\",\"status\":503,\"detail\":\"DooneFlow is starting; try again in a few seconds."
            + " GET /v1/health says what it is waiting for.\"}";
    /** The start gate's problem while the node stops. */
    static final String STOPPING = "{\"type\":\"https://dooneflow.org/problems/stopping\",\"title\":"
            + "\"Service Unavailable\",\"status\":503,\"detail\":\"DooneFlow is stopping or restarting; try again in a "
            + "few seconds.\"}";

    public ProblemErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    /** A request Jetty could not parse; the answer goes out without any handler running. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        return BufferUtil.toBuffer(problem(status, reason), StandardCharsets.UTF_8);
    }

    /**
     * A request Jetty refused after parsing it; whatever the client accepts, a problem. A request no servlet context
     * took (the context is not deployed yet, as during a start, or no longer, as at the end of a stop) is not "not
     * found" but "not yet": 503 with {@code Retry-After}, as DooneFlow's start gate answers.
     */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message)
            throws IOException {
        boolean noContext = code == HttpStatus.NOT_FOUND_404 && baseRequest.getErrorContext() == null; // entered none
        if (noContext) {
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
            response.setHeader(HttpHeader.RETRY_AFTER.asString(), RETRY_AFTER_SECONDS);
        }
        String problem = noContext ? (ServerGate.frameworkStopping() ? STOPPING : STARTING) : problem(code, message);
        byte[] body = problem.getBytes(StandardCharsets.UTF_8);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    /** The problem for a status; Jetty's reason, when it has one other than the status's name, is the detail. */
    static String problem(int status, String reason) {
        String title = HttpStatus.getMessage(status);
        StringBuilder json = new StringBuilder("{\"type\":");
        QuotedStringTokenizer.quote(json, TYPE_BASE + status);
        json.append(",\"title\":");
        QuotedStringTokenizer.quote(json, title);
        json.append(",\"status\":").append(status);
        if (reason != null && !reason.isBlank() && !reason.equals(title)) {
            json.append(",\"detail\":");
            QuotedStringTokenizer.quote(json, reason);
        }
        return json.append('}').toString();
    }
}
