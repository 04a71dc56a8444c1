package com.dooneflow.testing;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.testing.contract.ConnectorSettingsContract;

/** The {@link ConnectorSettingsContract} on the test kit's settings: connectors over one shared store. */
class InMemoryConnectorSettingsContractTest extends ConnectorSettingsContract {

    private final InMemorySettingsStore store = new InMemorySettingsStore();

    @Override
    protected ConnectorSettings settingsOf(String namespace) {
        return InMemoryConnectorSettings.of(store, namespace);
    }
}
