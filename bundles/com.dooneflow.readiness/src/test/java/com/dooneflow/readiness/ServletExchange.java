package com.dooneflow.readiness;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * One request through a servlet filter: what the filter answered, or whether it passed the request on. (A test double
 * shared with the REST bundle's filter tests through this bundle's test jar.)
 */
public final class ServletExchange {

    public final String contextPath;
    public final String uri;
    public final Map<String, String> requestHeaders = new HashMap<>();
    public final Map<String, String> headers = new HashMap<>();
    public final ByteArrayOutputStream body = new ByteArrayOutputStream();
    public boolean passedOn;
    public int status;
    public String contentType;

    public ServletExchange(String contextPath, String uri) {
        this.contextPath = contextPath;
        this.uri = uri;
    }

    public ServletExchange header(String name, String value) {
        requestHeaders.put(name, value);
        return this;
    }

    public String body() {
        return body.toString(StandardCharsets.UTF_8);
    }

    public HttpServletRequest request() {
        return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getRequestURI" -> uri;
            case "getContextPath" -> contextPath;
            case "getHeader" -> requestHeaders.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
    }

    public HttpServletResponse response() {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        return proxy(HttpServletResponse.class, (name, args) -> switch (name) {
            case "setStatus" -> {
                status = (Integer) args[0];
                yield null;
            }
            case "setContentType" -> {
                contentType = (String) args[0];
                yield null;
            }
            case "setHeader" -> {
                headers.put((String) args[0], (String) args[1]);
                yield null;
            }
            case "setContentLength" -> null;
            case "getOutputStream" -> out;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    public FilterChain chain() {
        return (request, response) -> passedOn = true;
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    /** A stand-in for a servlet interface that answers each call by method name. */
    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> switch (m.getName()) {
                    case "toString" -> type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> answer.answer(m.getName(), args);
                }));
    }
}
