package com.dooneflow.rest.internal;

import static com.dooneflow.rest.internal.TestProxies.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** One request through a servlet filter: what the filter answered, or whether it passed the request on. */
final class ServletExchange {

    final String contextPath;
    final String uri;
    final Map<String, String> requestHeaders = new HashMap<>();
    final Map<String, String> headers = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean passedOn;
    int status;
    String contentType;

    ServletExchange(String contextPath, String uri) {
        this.contextPath = contextPath;
        this.uri = uri;
    }

    ServletExchange header(String name, String value) {
        requestHeaders.put(name, value);
        return this;
    }

    String body() {
        return body.toString(StandardCharsets.UTF_8);
    }

    HttpServletRequest request() {
        return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getRequestURI" -> uri;
            case "getContextPath" -> contextPath;
            case "getHeader" -> requestHeaders.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
    }

    HttpServletResponse response() {
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

    FilterChain chain() {
        return (request, response) -> passedOn = true;
    }
}
