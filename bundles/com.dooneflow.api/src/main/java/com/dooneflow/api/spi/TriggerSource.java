package com.dooneflow.api.spi;

import com.dooneflow.api.FieldError;

import java.util.Map;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Produces trigger events of one type. Registered as a service with {@value #TYPE}; the engine calls
 * {@link #open} with its sink when both are present and {@link #close} when either goes.
 */
@ConsumerType
public interface TriggerSource {

    String TYPE = "dooneflow.trigger.type";

    /**
     * The type this source handles, or null (the default) when its bundle describes it in a file in
     * {@value TypeFiles#FOLDER}, which is preferred: the engine then knows the type even while this service is not
     * running. When the bundle has a file for the type, the file is used and this method is not called.
     */
    default TypeDescriptor descriptor() {
        return null;
    }

    void open(TriggerSink sink);

    void close();

    /**
     * Called by the engine on this node when a workflow with this trigger type was created, changed,
     * enabled, disabled or deleted, so cached routing can be refreshed ({@link TriggerSink#bindings()}).
     * Other nodes learn of it within the engine's {@code changePollMillis}; meanwhile routing may be stale. The sink
     * re-checks that each workflow is still enabled, and a source that authenticates callers against a binding passes
     * its {@link TriggerBinding#workflowVersion()} in {@link TriggerEvent#workflowVersions()}: when the stored version
     * differs, nothing is committed and the acceptance is {@code stale}, so the source checks the caller again.
     */
    default void bindingsChanged() {
    }

    /**
     * Checks of a trigger's parameters that only the source can make, run when a workflow is saved (e.g. that an
     * {@code inboxId} names an inbox of the organization). Each error names the parameter ({@code inboxId}); the
     * engine reports it as {@code trigger.params.inboxId}.
     */
    default List<FieldError> validate(String organizationId, Map<String, Object> params) {
        return List.of();
    }
}
