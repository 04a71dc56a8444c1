package com.dooneflow.connector.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.OptionSource.Option;
import com.dooneflow.api.spi.TypeFiles;

/** {@code salesforce.connections}: what the console offers for the {@code connection} parameter. */
class ConnectionOptionsTest {

    private final SalesforceFake fake = SalesforceFake.start();
    private final Rig rig = new Rig();
    private final ConnectionOptions options = new ConnectionOptions(rig.connections);

    @AfterEach
    void close() throws Exception {
        rig.close();
        fake.close();
    }

    @Test
    void theOrganizationsConnectionsByNameWithTheirStatusAndNoOtherOrganizations() throws Exception {
        rig.connected("Production", "production", fake);
        rig.create("acme sandbox", "sandbox", fake);
        rig.store.create("org-2", "Theirs", Map.of("status", Connection.CONNECTED), Map.of());

        assertThat(options.options(Fakes.ORG)).containsExactly(
                new Option("acme sandbox", "acme sandbox (not connected)"),
                new Option("Production", "Production (connected)"));
        assertThat(options.options("org-2")).containsExactly(new Option("Theirs", "Theirs (connected)"));
        assertThat(options.options("org-3")).isEmpty();
    }

    @Test
    void theActionsConnectionParameterTakesItsValuesFromThisSource() {
        assertThat(TypeFiles.read(WriteRecordAction.class, WriteRecordAction.TYPE).parameters().get(0)).satisfies(p -> {
            assertThat(p.name()).isEqualTo(WriteRecordAction.CONNECTION);
            assertThat(p.optionSource()).isEqualTo(ConnectionOptions.ID).isEqualTo("salesforce.connections");
        });
    }
}
