package com.dooneflow.api.spi;

import java.time.Duration;
import java.util.Map;

/** What an action step came to: a value, never an exception or an int flag. */
public sealed interface ActionResult {

    /** Done; {@code outputs} become template variables of later steps. */
    record Ok(Map<String, Object> outputs) implements ActionResult {
    }

    /** A transient failure: try again, no sooner than {@code after} when given (e.g. Retry-After). */
    record Retry(String reason, Duration after, Map<String, Object> details) implements ActionResult {
    }

    /** A permanent failure: the execution stops as failed with this reason. */
    record Fail(String reason, Map<String, Object> details) implements ActionResult {
    }

    static ActionResult ok(Map<String, Object> outputs) {
        return new Ok(Map.copyOf(outputs));
    }

    static ActionResult retry(String reason, Duration after) {
        return new Retry(reason, after, Map.of());
    }

    static ActionResult fail(String reason) {
        return new Fail(reason, Map.of());
    }

    static ActionResult fail(String reason, Map<String, Object> details) {
        return new Fail(reason, Map.copyOf(details));
    }
}
