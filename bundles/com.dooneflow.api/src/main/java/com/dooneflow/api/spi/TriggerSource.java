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
}
