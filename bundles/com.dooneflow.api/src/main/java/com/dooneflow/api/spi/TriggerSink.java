package com.dooneflow.api.spi;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The engine's intake, handed to every {@link TriggerSource}. */
@ProviderType
public interface TriggerSink {

    /**
     * Commits the event and the executions of the workflows it fires in one transaction; returns only once
     * that is durable. A repeated dedupe key returns the first delivery's executions and creates none.
     */
    Acceptance accept(TriggerEvent event);

    /** The enabled workflows whose trigger has this source's type, with their trigger parameters. */
    List<TriggerBinding> bindings();

    record Acceptance(List<String> executionIds, boolean duplicate) {
    }
}
