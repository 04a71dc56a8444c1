package com.dooneflow.api;

/** The caller sees the object but their role may not do this. */
public class ForbiddenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
