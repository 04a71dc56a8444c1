package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void theEnvironmentWinsOverTheConfigurationAndBlankCountsAsUnset() {
        Settings settings = new Settings(Map.of("db.user", "from-cfg", "db.url", " "),
                Map.of("DOONEFLOW_DB_USER", "from-env", "DOONEFLOW_DB_URL", ""));
        assertThat(settings.get("db.user", "DOONEFLOW_DB_USER")).isEqualTo("from-env");
        assertThat(settings.get("db.url", "DOONEFLOW_DB_URL")).isNull();
        assertThat(new Settings(Map.of(".db.password", "s3cret"), Map.of()).get("db.password", "X")).isEqualTo("s3cret");
    }

    @Test
    void aPositiveNumberIsReadOrDefaulted() {
        Settings settings = new Settings(Map.of("db.intakeCommitters", "3"), Map.of("DOONEFLOW_DB_POOL_SIZE", " 24 "));
        assertThat(settings.positiveInt("db.intakeCommitters", "DOONEFLOW_DB_INTAKE_COMMITTERS", 2)).isEqualTo(3);
        assertThat(settings.positiveInt("db.poolSize", "DOONEFLOW_DB_POOL_SIZE", 16)).isEqualTo(24);
        assertThat(settings.positiveInt("db.other", "DOONEFLOW_DB_OTHER", 7)).isEqualTo(7);
    }

    @Test
    void anythingButAPositiveWholeNumberIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
            Settings settings = new Settings(Map.of("db.intakeCommitters", bad), Map.of());
            assertThatThrownBy(() -> settings.positiveInt("db.intakeCommitters", "DOONEFLOW_DB_INTAKE_COMMITTERS", 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("db.intakeCommitters (DOONEFLOW_DB_INTAKE_COMMITTERS)")
                    .hasMessageContaining("at least 1")
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
