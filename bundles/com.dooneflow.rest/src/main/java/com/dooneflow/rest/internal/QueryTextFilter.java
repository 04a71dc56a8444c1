package com.dooneflow.rest.internal;

import java.util.List;
import java.util.Map;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import com.dooneflow.api.FieldError;

/**
 * Refuses a NUL character ({@code %00}) in a query parameter with 422 naming it: PostgreSQL cannot take one in a
 * query, which would otherwise be a 500. Request bodies get the same check in {@link JsonProvider}.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("dooneflow.query-text")
@Priority(Priorities.USER)
public class QueryTextFilter implements ContainerRequestFilter {

    static final String MESSAGE = "must not contain the NUL character (%00)";

    @Override
    public void filter(ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> p : request.getUriInfo().getQueryParameters().entrySet()) {
            if (p.getKey().indexOf('\0') >= 0 || p.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                String name = p.getKey().replace("\0", "%00");
                request.abortWith(Problem.response(422, "validation", "Validation failed", name + ": " + MESSAGE,
                        List.of(new FieldError(name, MESSAGE))));
                return;
            }
        }
    }
}
