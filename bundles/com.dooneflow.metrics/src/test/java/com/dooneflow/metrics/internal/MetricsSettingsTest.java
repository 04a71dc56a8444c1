package com.dooneflow.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsSettingsTest {

    @Test
    void offUnlessAPortOrATokenIsSet() {
        assertThat(MetricsSettings.read(v -> null, Map.of()).enabled()).isFalse();
        assertThat(MetricsSettings.read(v -> null, null).enabled()).isFalse();
    }

    @Test
    void theVariableWinsOverTheFileAndTheHostDefaultsToLoopback() {
        MetricsSettings s = MetricsSettings.read(v -> v.equals("DOONEFLOW_METRICS_PORT") ? "9464" : null,
                Map.of("metrics.port", "9000"));
        assertThat(s.port()).isEqualTo(9464);
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.enabled()).isTrue();
        assertThat(MetricsSettings.read(v -> null, Map.of("metrics.port", "9000", "metrics.host", "0.0.0.0")).host())
                .isEqualTo("0.0.0.0");
    }

    @Test
    void aTokenAloneTurnsMetricsOnAndIsNeverPrinted() {
        MetricsSettings s = MetricsSettings.read(v -> null, Map.of(".metrics.token", "s3cret-s3cret-s3cret"));
        assertThat(s.enabled()).isTrue();
        assertThat(s.port()).isZero();
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void badValuesStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> MetricsSettings.read(v -> v.equals("DOONEFLOW_METRICS_PORT") ? "abc" : null, Map.of()))
                .hasMessageContaining("DOONEFLOW_METRICS_PORT");
        assertThatThrownBy(() -> MetricsSettings.read(v -> null, Map.of("metrics.port", "70000")))
                .hasMessageContaining("65535");
        assertThatThrownBy(() -> MetricsSettings.read(v -> null, Map.of(".metrics.token", "short")))
                .hasMessageContaining("DOONEFLOW_METRICS_TOKEN");
    }
}
