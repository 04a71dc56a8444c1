package com.dooneflow.rest.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/** HTTP errors raised by JAX-RS itself (404, 405, 415...) as problems too; CXF would otherwise answer with no body. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("dooneflow.http-errors")
public class HttpErrorMapper implements ExceptionMapper<WebApplicationException> {

    private final ProblemMapper problems = new ProblemMapper();

    @Override
    public Response toResponse(WebApplicationException e) {
        return problems.toResponse(e);
    }
}
