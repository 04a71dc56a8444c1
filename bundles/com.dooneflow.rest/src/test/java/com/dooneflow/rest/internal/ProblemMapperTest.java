package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.OutcomeUnknownException;
import com.dooneflow.api.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ProblemMapperTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String TYPE_BASE = "https://dooneflow.org/problems/";

    private final ProblemMapper mapper = new ProblemMapper();

    private static JsonNode problem(Response r, int status) throws IOException {
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(String.valueOf(r.getMediaType())).isEqualTo("application/problem+json");
        assertThat(r.getEntity()).isInstanceOf(String.class);
        JsonNode body = PLAIN.readTree((String) r.getEntity());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asText()).isNotBlank();
        return body;
    }

    @Test
    void validationIs422WithEveryFieldError() throws IOException {
        JsonNode body = problem(mapper.toResponse(new ValidationException(List.of(
                new FieldError("name", "is required"), new FieldError("actions[1].params.url", "must be a URL")))), 422);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "validation");
        assertThat(body.path("title").asText()).isEqualTo("Validation failed");
        assertThat(body.path("detail").asText()).isEqualTo("name: is required");
        assertThat(body.path("errors")).hasSize(2);
        assertThat(body.path("errors").get(0).path("field").asText()).isEqualTo("name");
        assertThat(body.path("errors").get(0).path("message").asText()).isEqualTo("is required");
        assertThat(body.path("errors").get(1).path("field").asText()).isEqualTo("actions[1].params.url");
        assertThat(body.path("errors").get(1).path("message").asText()).isEqualTo("must be a URL");
    }

    @Test
    void notFoundIs404() throws IOException {
        JsonNode body = problem(mapper.toResponse(new NotFoundException("organization not found")), 404);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "not-found");
        assertThat(body.path("detail").asText()).isEqualTo("organization not found");
        assertThat(body.has("errors")).isFalse();
    }

    @Test
    void forbiddenIs403() throws IOException {
        JsonNode body = problem(mapper.toResponse(new ForbiddenException("only owners and admins may do this")), 403);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "forbidden");
        assertThat(body.path("detail").asText()).isEqualTo("only owners and admins may do this");
    }

    @Test
    void conflictIs409NamingTheField() throws IOException {
        JsonNode body = problem(mapper.toResponse(
                new ConflictException("email", "ana@example.com is already a member of this organization")), 409);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "conflict");
        assertThat(body.path("errors")).hasSize(1);
        assertThat(body.path("errors").get(0).path("field").asText()).isEqualTo("email");
        assertThat(body.path("errors").get(0).path("message").asText())
                .isEqualTo("ana@example.com is already a member of this organization");
    }

    @Test
    void conflictWithoutAFieldHasNoErrors() throws IOException {
        JsonNode body = problem(mapper.toResponse(new ConflictException(null, "busy")), 409);
        assertThat(body.has("errors")).isFalse();
        assertThat(body.path("detail").asText()).isEqualTo("busy");
    }

    @Test
    void jaxRsMethodNotAllowedIsA405Problem() throws IOException {
        JsonNode body = problem(mapper.toResponse(new NotAllowedException("GET", new String[] {"POST"})), 405);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "http-405");
        assertThat(body.path("title").asText()).isEqualTo("Method Not Allowed");
    }

    @Test
    void jaxRsErrorsAreProblemsThroughTheHttpErrorMapperToo() throws IOException {
        HttpErrorMapper http = new HttpErrorMapper();
        JsonNode body = problem(http.toResponse(new javax.ws.rs.NotFoundException()), 404);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "http-404");
        body = problem(http.toResponse(new NotSupportedException()), 415);
        assertThat(body.path("title").asText()).isEqualTo("Unsupported Media Type");
    }

    @Test
    void aProblemAlreadyInTheExceptionIsKept() throws IOException {
        Response original = Problem.invalid(400, "Unknown field nickname.", "nickname", "is not a known field");
        WebApplicationException e = new WebApplicationException(original);
        for (Response r : List.of(mapper.toResponse(e), new HttpErrorMapper().toResponse(e))) {
            JsonNode body = problem(r, 400);
            assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "invalid-request");
            assertThat(body.path("errors").get(0).path("field").asText()).isEqualTo("nickname");
        }
    }

    @Test
    void aCommitWithAnUnknownOutcomeIs503SayingSo() throws IOException {
        JsonNode body = problem(mapper.toResponse(new OutcomeUnknownException("the database failed while committing",
                new java.sql.SQLException("An I/O error occurred", "08006"))), 503);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "outcome-unknown");
        assertThat(body.path("detail").asText()).contains("may or may not have been saved");
    }

    @Test
    void unexpectedErrorsAre500WithoutTheirMessage() throws IOException {
        Response r = mapper.toResponse(new RuntimeException("secret-value"));
        String raw = (String) r.getEntity();
        assertThat(raw).doesNotContain("secret-value").doesNotContain("RuntimeException");
        JsonNode body = problem(r, 500);
        assertThat(body.path("type").asText()).isEqualTo(TYPE_BASE + "internal");
        assertThat(body.path("title").asText()).isEqualTo("Internal error");
        // The detail carries an id to find the log entry by.
        Matcher id = Pattern.compile("id ([0-9a-f-]{36})").matcher(body.path("detail").asText());
        assertThat(id.find()).isTrue();
        assertThat(UUID.fromString(id.group(1))).isNotNull();
    }

    @Test
    void unexpectedErrorsWithACauseLeakNothingEither() throws IOException {
        Response r = mapper.toResponse(new IllegalStateException("wrapper",
                new IllegalArgumentException("jdbc:postgresql://db/prod?password=hunter2")));
        assertThat((String) r.getEntity()).doesNotContain("hunter2").doesNotContain("wrapper");
        problem(r, 500);
    }
}
