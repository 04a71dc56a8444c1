package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class QueryTextFilterTest {

    private final QueryTextFilter filter = new QueryTextFilter();

    /** The answer the filter aborted with, or null when it let the request through. */
    private Response filtered(String query) {
        MultivaluedMap<String, String> params = new MultivaluedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.add(pair.substring(0, eq), pair.substring(eq + 1));
        }
        UriInfo uri = proxy(UriInfo.class, (name, args) -> name.equals("getQueryParameters") ? params : null);
        AtomicReference<Response> aborted = new AtomicReference<>();
        ContainerRequestContext request = proxy(ContainerRequestContext.class, (name, args) -> {
            if (name.equals("getUriInfo")) {
                return uri;
            }
            if (name.equals("abortWith")) {
                aborted.set((Response) args[0]);
            }
            return null;
        });
        filter.filter(request);
        return aborted.get();
    }

    @Test
    void aNulInAQueryParameterIs422NamingIt() throws Exception {
        Response r = filtered("limit=10&workflowId=wf\0&cursor=c");
        assertThat(r.getStatus()).isEqualTo(422);
        assertThat(String.valueOf(r.getMediaType())).isEqualTo("application/problem+json");
        JsonNode problem = new ObjectMapper().readTree((String) r.getEntity());
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("workflowId");
        assertThat(problem.at("/errors/0/message").asText()).contains("NUL");
    }

    @Test
    void otherTextPasses() {
        assertThat(filtered("limit=10&workflowId=w\u00e9f&from=2024-01-01T00:00:00Z")).isNull();
        assertThat(filtered("a=\u0001")).as("another control character is not refused here").isNull();
    }

    private interface Call {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Call call) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> call.answer(method.getName(), args));
    }
}
