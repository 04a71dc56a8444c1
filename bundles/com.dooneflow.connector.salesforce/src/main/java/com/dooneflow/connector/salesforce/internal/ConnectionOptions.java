package com.dooneflow.connector.salesforce.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.spi.OptionSource;

/** {@code salesforce.connections}: the organization's connections by name, for {@code salesforce.record.write}. */
@Component(property = OptionSource.ID + "=" + ConnectionOptions.ID)
public class ConnectionOptions implements OptionSource {

    public static final String ID = "salesforce.connections";

    private final SalesforceConnections connections;

    @Activate
    public ConnectionOptions(@Reference SalesforceConnections connections) {
        this.connections = connections;
    }

    /** The value is the name (what the action's parameter holds); the label also says whether it can be used. */
    @Override
    public List<Option> options(String organizationId) {
        return connections.all(organizationId).stream()
                .map(c -> new Option(c.name(), c.name() + " (" + c.status().replace('_', ' ') + ")")).toList();
    }
}
