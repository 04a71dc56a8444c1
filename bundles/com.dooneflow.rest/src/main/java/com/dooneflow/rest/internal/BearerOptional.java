package com.dooneflow.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method that may be called without a bearer token: {@link AuthFilter} lets a request without an
 * {@code Authorization} header through unauthenticated ({@link Caller#optional} is empty), and authenticates one
 * that has it as everywhere else (an unknown token is 401).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BearerOptional {
}
