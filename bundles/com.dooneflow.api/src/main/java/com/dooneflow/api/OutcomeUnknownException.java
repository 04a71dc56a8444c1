package com.dooneflow.api;

/**
 * A write whose outcome cannot be known: the database connection failed while the transaction was being
 * committed, so it may or may not have been saved. Repeating it is safe only where it carries a dedupe key.
 */
public class OutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
