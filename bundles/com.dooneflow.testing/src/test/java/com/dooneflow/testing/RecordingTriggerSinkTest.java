package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.TriggerEvent;
import com.dooneflow.api.spi.TriggerSink.Acceptance;

class RecordingTriggerSinkTest {

    @Test
    void theSinkCreatesExecutionsOnceForADedupeKeyAndSkipsDisabledWorkflows() {
        RecordingTriggerSink sink = new RecordingTriggerSink();
        sink.disable("w2");
        TriggerEvent event = new TriggerEvent("o", "webhook", List.of("w1", "w2"), "k1", Map.of());

        Acceptance first = sink.accept(event);
        Acceptance again = sink.accept(event);
        assertThat(first.executionIds()).hasSize(1);
        assertThat(first.duplicate()).isFalse();
        assertThat(again.executionIds()).isEqualTo(first.executionIds());
        assertThat(again.duplicate()).isTrue();
        assertThat(sink.offered()).hasSize(2);
        assertThat(sink.accepted()).hasSize(1);
        assertThat(sink.awaitExecution(first.executionIds().get(0), Duration.ZERO)).get()
                .satisfies(x -> assertThat(x).containsEntry("status", "succeeded"));
        assertThat(sink.awaitExecution("unknown", Duration.ZERO)).isEmpty();

        sink.failWith(new IllegalStateException("database unavailable"));
        assertThatThrownBy(() -> sink.accept(new TriggerEvent("o", "webhook", List.of("w1"), null, Map.of())))
                .hasMessage("database unavailable");
        assertThat(sink.offered()).hasSize(2);
        sink.watch("o", "w1", Map.of("path", "a"));
        assertThat(sink.bindings()).hasSize(1);
        assertThat(sink.bindingCalls()).isEqualTo(1);
    }
}
