package com.dooneflow.api;

/** The request may only be made by a signed-in user (REST answers 401 and asks for a bearer token). */
public class AuthenticationRequiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthenticationRequiredException(String message) {
        super(message);
    }
}
