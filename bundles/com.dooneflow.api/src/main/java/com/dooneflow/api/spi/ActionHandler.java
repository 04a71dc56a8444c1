package com.dooneflow.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs one action type. Registered as an OSGi service with the property {@value #TYPE} naming the type id.
 * When two handlers claim one type, the highest service.ranking wins, then the lowest service.id.
 */
@ConsumerType
public interface ActionHandler {

    /** Service property naming the action type id. */
    String TYPE = "dooneflow.action.type";

    TypeDescriptor descriptor();

    /** Performs the step. Unexpected exceptions are treated as transient failures. */
    ActionResult execute(ActionContext context) throws Exception;
}
