package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ValidationException;

/** {@code graceSeconds} of a webhook key rotation: 24 hours unless given, 0 to 30 days, else a 422 naming it. */
class WebhookKeyGraceTest {

    @Test
    void defaultsToADayAndTakesZeroToThirtyDays() {
        assertThat(WorkflowResource.grace(null)).isEqualTo(Duration.ofHours(24));
        assertThat(WorkflowResource.grace(" ")).isEqualTo(Duration.ofHours(24));
        assertThat(WorkflowResource.grace("0")).isEqualTo(Duration.ZERO);
        assertThat(WorkflowResource.grace("2592000")).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void anythingElseNamesTheParameter() {
        for (String bad : new String[] {"-1", "2592001", "1.5", "a day"}) {
            assertThatThrownBy(() -> WorkflowResource.grace(bad)).as(bad).isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement()
                            .satisfies(error -> assertThat(error.field()).isEqualTo("graceSeconds")));
        }
    }
}
