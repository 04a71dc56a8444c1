package com.dooneflow.connector.webhook.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The connector's ObjectMappers: they read bodies strictly (one JSON value, nothing after it). */
final class Json {

    static final ObjectMapper MAPPER = reading(StreamReadConstraints.defaults());

    private Json() {
    }

    /** A mapper like {@link #MAPPER} that refuses, while parsing, what is over {@code limits}. */
    static ObjectMapper reading(StreamReadConstraints limits) {
        return new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
