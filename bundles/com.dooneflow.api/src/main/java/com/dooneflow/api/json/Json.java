package com.dooneflow.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * DooneFlow's one JSON configuration, for the core and for connectors: a body is one JSON value with nothing after
 * it, unknown properties of a bound class are an error, and {@code java.time} values are written as RFC 3339 text
 * ({@code "2025-03-01T10:00:00Z"}), as the REST API shows times. Jackson's own parsing limits apply, with which stored
 * JSON is read again; JSON from the outside is read with {@link #mapper(JsonLimits)}.
 * <p>
 * Each call builds a new mapper (an ObjectMapper can be reconfigured, and one shared by every bundle would let one
 * change all): build it once and keep it in a constant. Where a bundle truly needs another setting, it derives it
 * from this one, e.g. {@code Json.mapper().setSerializationInclusion(NON_NULL)}.
 */
public final class Json {

    private Json() {
    }

    /** A new mapper with DooneFlow's configuration. */
    public static ObjectMapper mapper() {
        return configure(new ObjectMapper());
    }

    /** A new mapper with DooneFlow's configuration that refuses, while parsing, what is over {@code limits}. */
    public static ObjectMapper mapper(JsonLimits limits) {
        return configure(new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits.constraints()).build()));
    }

    // A plain ObjectMapper, not a JsonMapper: JsonLimits.applyTo copies it with another factory, which Jackson 2.21's
    // JsonMapper refuses.
    private static ObjectMapper configure(ObjectMapper m) {
        return m.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
