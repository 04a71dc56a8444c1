package com.dooneflow.api;

/** The request clashes with existing state (a duplicate name, the last owner leaving...). */
public class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
