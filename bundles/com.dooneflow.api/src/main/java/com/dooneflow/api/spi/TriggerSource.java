package com.dooneflow.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Produces trigger events of one type. Registered as a service with {@value #TYPE}; the engine calls
 * {@link #open} with its sink when both are present and {@link #close} when either goes.
 */
@ConsumerType
public interface TriggerSource {

    String TYPE = "dooneflow.trigger.type";

    TypeDescriptor descriptor();

    void open(TriggerSink sink);

    void close();

    /**
     * Called by the engine on this node when a workflow with this trigger type was created, changed,
     * enabled, disabled or deleted, so cached routing can be refreshed ({@link TriggerSink#bindings()}).
     * Other nodes learn of it later: sources must also tolerate stale routing (the sink re-checks).
     */
    default void bindingsChanged() {
    }
}
