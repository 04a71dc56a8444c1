package com.dooneflow.api.outbound;

/** One header line of an outbound request or its answer. */
public record HttpHeader(String name, String value) {
}
