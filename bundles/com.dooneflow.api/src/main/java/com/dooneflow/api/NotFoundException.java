package com.dooneflow.api;

/** The object does not exist, or belongs to an organization the caller may not see (never told apart). */
public class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }
}
