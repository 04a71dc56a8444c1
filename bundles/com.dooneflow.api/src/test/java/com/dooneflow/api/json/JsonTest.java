package com.dooneflow.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

class JsonTest {

    record Point(int x, int y) {
    }

    @Test
    void aBodyIsOneValueWithNothingAfterIt() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"a\":1} {\"b\":2}", Object.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("Trailing token");
    }

    @Test
    void unknownPropertiesOfABoundClassAreAnError() throws Exception {
        assertThat(Json.mapper().readValue("{\"x\":1,\"y\":2}", Point.class)).isEqualTo(new Point(1, 2));
        assertThatThrownBy(() -> Json.mapper().readValue("{\"x\":1,\"z\":2}", Point.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }

    @Test
    void timesAreWrittenAsRfc3339Text() throws Exception {
        assertThat(Json.mapper().writeValueAsString(Map.of("at", Instant.parse("2025-03-01T10:00:00Z"))))
                .isEqualTo("{\"at\":\"2025-03-01T10:00:00Z\"}");
        assertThat(Json.mapper().readValue("\"2025-03-01T10:00:00Z\"", Instant.class))
                .isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
    }

    @Test
    void withLimitsParsingStopsAtThemAndTheConfigurationIsKept() throws Exception {
        ObjectMapper outside = Json.mapper(JsonLimits.DEFAULTS);
        String deep = "[".repeat(65) + "]".repeat(65);
        assertThatThrownBy(() -> outside.readTree(deep)).isInstanceOf(StreamConstraintsException.class);
        assertThat(Json.mapper().readTree(deep)).isNotNull(); // Jackson's own limits: stored JSON reads again
        assertThatThrownBy(() -> outside.readValue("1 2", Object.class)).isInstanceOf(MismatchedInputException.class);
        assertThat(JsonLimits.DEFAULTS.applyTo(Json.mapper()).writeValueAsString(Instant.EPOCH))
                .isEqualTo("\"1970-01-01T00:00:00Z\"");
    }

    @Test
    void eachCallGivesAMapperOfItsOwn() {
        ObjectMapper mine = Json.mapper();
        mine.disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        assertThat(Json.mapper().isEnabled(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS))
                .isTrue();
    }
}
