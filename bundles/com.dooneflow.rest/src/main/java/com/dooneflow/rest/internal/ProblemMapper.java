package com.dooneflow.rest.internal;

import java.util.UUID;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.AuthenticationRequiredException;
import com.dooneflow.api.ConflictException;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.SecretUnavailableException;
import com.dooneflow.api.ValidationException;

/** Every exception becomes an RFC 9457 problem; unexpected ones are logged with an id and answered 500 without detail. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("dooneflow.problems")
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof ValidationException v) {
            return Problem.response(422, "validation", "Validation failed", v.getMessage(), v.errors());
        }
        if (e instanceof AuthenticationRequiredException) {
            return Response.fromResponse(Problem.response(401, "unauthorized", "Unauthorized", e.getMessage()))
                    .header(HttpHeaders.WWW_AUTHENTICATE, AuthFilter.CHALLENGE).build();
        }
        if (e instanceof NotFoundException) {
            return Problem.response(404, "not-found", "Not found", e.getMessage());
        }
        if (e instanceof ForbiddenException) {
            return Problem.response(403, "forbidden", "Forbidden", e.getMessage());
        }
        if (e instanceof ConflictException c) {
            return Problem.response(409, "conflict", "Conflict", c.getMessage(),
                    c.field() == null ? null : java.util.List.of(new FieldError(c.field(), c.getMessage())));
        }
        if (e instanceof OutcomeUnknownException) {
            LOG.warn("A request's commit has an unknown outcome: {}", e.getMessage());
            return Problem.response(503, "outcome-unknown", "Outcome unknown", "The database failed while "
                    + "committing this change: it may or may not have been saved. Look before you repeat it.");
        }
        if (e instanceof SecretUnavailableException) {
            // The vault has logged the cause once per key; a stack trace per request would bury it.
            return Problem.response(503, "secret-unavailable", "Secret unavailable", e.getMessage());
        }
        if (e instanceof WebApplicationException w) {
            Response r = w.getResponse();
            if (r.hasEntity() && Problem.MEDIA_TYPE.equals(String.valueOf(r.getMediaType()))) {
                return r;
            }
            int status = r.getStatus();
            Response problem = Problem.response(status, "http-" + status, Response.Status.fromStatusCode(status) == null
                    ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase(), null);
            // Keep what HTTP requires of the original (Allow on 405, WWW-Authenticate on 401...).
            Response.ResponseBuilder b = Response.fromResponse(problem);
            r.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            return b.build();
        }
        String id = UUID.randomUUID().toString();
        LOG.error("Unexpected error {} handling a request", id, e);
        return Problem.response(500, "internal", "Internal error",
                "Something went wrong on our side; the server log has the details under id " + id + ".");
    }
}
