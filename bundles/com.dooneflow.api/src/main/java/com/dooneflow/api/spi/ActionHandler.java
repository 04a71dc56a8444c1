package com.dooneflow.api.spi;

import java.time.Duration;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs one action type. Registered as an OSGi service with the property {@value #TYPE} naming the type id.
 * When two handlers claim one type, the highest service.ranking wins, then the lowest service.id.
 */
@ConsumerType
public interface ActionHandler {

    /** Service property naming the action type id. */
    String TYPE = "dooneflow.action.type";

    /** How long one attempt may take unless the handler says otherwise. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    TypeDescriptor descriptor();

    /**
     * Performs the step. Unexpected exceptions are treated as transient failures. The thread is interrupted when
     * the attempt outlives {@link #timeout} or the execution is cancelled: blocking calls should give up then.
     */
    ActionResult execute(ActionContext context) throws Exception;

    /**
     * The longest one attempt may take with these (rendered) parameters: the handler's own network timeouts plus
     * a margin. The engine keeps the execution's claim alive meanwhile; once the time is over it interrupts the
     * attempt, records it as timed out with its outcome unknown, and retries under the step's retry policy. The
     * engine caps it ({@code maxStepSeconds}, 5 minutes by default).
     */
    default Duration timeout(Map<String, Object> params) {
        return DEFAULT_TIMEOUT;
    }
}
