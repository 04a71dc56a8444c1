package com.dooneflow.api;

/** One invalid input: {@code field} is a path such as {@code actions[1].params.url}. */
public record FieldError(String field, String message) {
}
