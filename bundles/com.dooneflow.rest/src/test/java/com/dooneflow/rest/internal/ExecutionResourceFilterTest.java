package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ExecutionFilter;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;

class ExecutionResourceFilterTest {

    private static final String WORKFLOW = "0b0e6c8e-8f4e-4d57-9d43-2f1f5b0f6a11";

    @Test
    void everyParameterBecomesPartOfTheFilter() {
        assertThat(ExecutionResource.filter(WORKFLOW, "failed", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z",
                "  Ann Lee "))
                .isEqualTo(new ExecutionFilter(WORKFLOW, ExecutionStatus.FAILED, Instant.parse("2026-12-01T00:00:00Z"),
                        Instant.parse("2026-12-02T00:00:00Z"), "Ann Lee"));
        assertThat(ExecutionResource.filter(null, "", null, null, " ")).isEqualTo(ExecutionFilter.ALL);
        assertThat(ExecutionResource.filter(null, null, null, null, null, "true").test()).isTrue();
        assertThat(ExecutionResource.filter(null, null, null, null, null, "false").test()).isFalse();
        assertThat(ExecutionResource.filter(null, null, null, null, null, "").test()).as("both kinds").isNull();
    }

    @Test
    void aBadParameterIs422NamingIt() {
        refused(() -> ExecutionResource.filter("not-an-id", null, null, null, null), "workflowId",
                "must be an id (a UUID)");
        refused(() -> ExecutionResource.filter(null, "lost", null, null, null), "status",
                "must be one of queued, running, waiting, succeeded, failed, cancelled");
        refused(() -> ExecutionResource.filter(null, null, "yesterday", null, null), "from",
                "must be an RFC 3339 UTC time such as 2026-01-31T12:00:00Z");
        refused(() -> ExecutionResource.filter(null, null, "2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z", null), "to",
                "must be after from");
        refused(() -> ExecutionResource.filter(null, null, null, null, "x".repeat(201)), "q",
                "must be at most 200 characters");
        refused(() -> ExecutionResource.filter(null, null, null, null, null, "yes"), "test", "must be true or false");
    }

    private static void refused(Runnable call, String field, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field, FieldError::message).containsExactly(tuple(field, message)));
    }
}
