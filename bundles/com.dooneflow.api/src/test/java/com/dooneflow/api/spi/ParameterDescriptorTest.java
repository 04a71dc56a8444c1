package com.dooneflow.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ParameterDescriptorTest {

    @Test
    void everyWitherKeepsTheConstraints() {
        ParameterDescriptor p = ParameterDescriptor.of("id", "Id", ParameterType.STRING)
                .withLength(15, 18).withPattern("[A-Za-z0-9]+", "must be letters and digits")
                .asRequired().asSecret().asTemplatable().withDefault("x").withDescription("d").withOptions("a");

        assertThat(p).isEqualTo(new ParameterDescriptor("id", "Id", ParameterType.STRING, true, true, true,
                List.of("a"), "x", "d", null, null, 15, 18, "[A-Za-z0-9]+", "must be letters and digits"));
        ParameterDescriptor n = ParameterDescriptor.of("n", "N", ParameterType.INTEGER).withRange(1L, 120L)
                .withDefault(15).asRequired();
        assertThat(n.min()).isEqualTo(1L);
        assertThat(n.max()).isEqualTo(120L);
        assertThat(n.required()).isTrue();
    }

    @Test
    void theConstructorOfSpi12MeansNoConstraints() {
        ParameterDescriptor p = new ParameterDescriptor("url", "URL", ParameterType.STRING, true, false, true, null,
                null, null);

        assertThat(p.options()).isEmpty();
        assertThat(p).isEqualTo(ParameterDescriptor.of("url", "URL", ParameterType.STRING).asRequired()
                .asTemplatable());
        assertThat(p.min()).isNull();
        assertThat(p.maxLength()).isNull();
        assertThat(p.pattern()).isNull();
    }

    @Test
    void constraintsThatCannotApplyAreAProgrammingErrorFoundAtOnce() {
        ParameterDescriptor text = ParameterDescriptor.of("t", "T", ParameterType.TEXT);
        ParameterDescriptor number = ParameterDescriptor.of("n", "N", ParameterType.INTEGER);

        assertThatThrownBy(() -> text.withRange(1L, 2L)).hasMessageContaining("INTEGER");
        assertThatThrownBy(() -> number.withLength(1, 2)).hasMessageContaining("STRING, TEXT and URL");
        assertThatThrownBy(() -> number.withRange(5L, 1L)).hasMessageContaining("above max");
        assertThatThrownBy(() -> text.withLength(3, 2)).hasMessageContaining("min <= max");
        assertThatThrownBy(() -> text.withLength(-1, null)).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> text.withPattern("([a-z", null)).hasMessageContaining("invalid pattern");
        assertThat(ParameterDescriptor.of("u", "U", ParameterType.URL).withLength(null, 2048).maxLength())
                .isEqualTo(2048);
    }

    @Test
    void anOptionSourceSurvivesEveryWitherAndTheOlderConstructorsHaveNone() {
        ParameterDescriptor p = ParameterDescriptor.of("inboxId", "Inbox", ParameterType.STRING)
                .withOptionSource("email.inboxes").asRequired().withDescription("d").withLength(1, 64)
                .withPattern("[a-z0-9-]+", null).asTemplatable().withDefault("x").withOptions();

        assertThat(p.optionSource()).isEqualTo("email.inboxes");
        assertThat(p.required()).isTrue();
        assertThat(p.maxLength()).isEqualTo(64);
        assertThat(new ParameterDescriptor("n", "N", ParameterType.STRING, false, false, false, null, null, null, null,
                null, null, null, null, null).optionSource()).isNull();
        assertThat(ParameterDescriptor.of("n", "N", ParameterType.STRING).optionSource()).isNull();
        assertThatThrownBy(() -> ParameterDescriptor.of("n", "N", ParameterType.STRING).withOptionSource(" "))
                .hasMessageContaining("optionSource");
    }
}
