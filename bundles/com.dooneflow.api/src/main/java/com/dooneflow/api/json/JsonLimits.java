package com.dooneflow.api.json;

import java.util.Locale;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What DooneFlow accepts of a JSON body from the outside (the REST API, webhooks, a connector's own resource): its
 * size, and in it the nesting depth, string, field-name and number lengths, which Jackson enforces while parsing.
 * They are far below Jackson's own defaults, with which stored JSON is read again, so whatever is accepted can be
 * stored and shown again. The REST API and the webhook receiver take them from their configuration
 * ({@code etc/com.dooneflow.rest.cfg}, {@code etc/com.dooneflow.webhook.cfg}); the constants are the defaults.
 */
public record JsonLimits(int maxBodyBytes, int maxNestingDepth, int maxStringLength, int maxNameLength,
                         int maxNumberLength) {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Workflow definitions and real payloads nest fewer than 10 levels; stored data is shown a few levels deeper. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Never reached at the default body size; it keeps strings readable should the body limit be raised. */
    public static final int MAX_STRING_LENGTH = 1024 * 1024;
    /** Field names are words, ids or the odd URL. */
    public static final int MAX_NAME_LENGTH = 4096;
    /** A 128-bit integer has 39 digits, a double at most 17 significant ones. */
    public static final int MAX_NUMBER_LENGTH = 100;

    public static final JsonLimits DEFAULTS = new JsonLimits(MAX_BODY_BYTES, MAX_NESTING_DEPTH, MAX_STRING_LENGTH,
            MAX_NAME_LENGTH, MAX_NUMBER_LENGTH);

    public JsonLimits {
        if (maxBodyBytes < 1 || maxNestingDepth < 1 || maxStringLength < 1 || maxNameLength < 1 || maxNumberLength < 1) {
            throw new IllegalArgumentException("every JSON limit must be 1 or more");
        }
    }

    /** These limits with another body size. */
    public JsonLimits withMaxBodyBytes(int bytes) {
        return new JsonLimits(bytes, maxNestingDepth, maxStringLength, maxNameLength, maxNumberLength);
    }

    /** The limits Jackson enforces while parsing. */
    public StreamReadConstraints constraints() {
        return StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).maxStringLength(maxStringLength)
                .maxNameLength(maxNameLength).maxNumberLength(maxNumberLength).build();
    }

    /** A copy of {@code mapper} (its configuration kept) that refuses, while parsing, what is over these limits. */
    public ObjectMapper applyTo(ObjectMapper mapper) {
        return mapper.copyWith(mapper.getFactory().rebuild().streamReadConstraints(constraints()).build());
    }

    /**
     * What a value is over, as a predicate to put after its subject ("The body " + ..., a field's error): "nests
     * arrays and objects deeper than 64 levels (limit maxNestingDepth)". Jackson's message says which limit.
     */
    public String overLimit(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "nests arrays and objects deeper than " + maxNestingDepth + " levels (limit maxNestingDepth)";
        }
        if (m.startsWith("string value length")) {
            return stringTooLong();
        }
        if (m.startsWith("name length")) {
            return nameTooLong();
        }
        if (m.startsWith("number value length")) {
            return "holds a number longer than " + maxNumberLength + " digits (limit maxNumberLength)";
        }
        return "is over a parsing limit: " + e.getOriginalMessage();
    }

    /** What a form field (name, value) is over, as {@link #overLimit} says it, or null when it is within. */
    public String overLimit(String name, String value) {
        if (name.length() > maxNameLength) {
            return nameTooLong();
        }
        return value.length() > maxStringLength ? stringTooLong() : null;
    }

    private String stringTooLong() {
        return "holds a string longer than " + maxStringLength + " characters (limit maxStringLength)";
    }

    private String nameTooLong() {
        return "has a field name longer than " + maxNameLength + " characters (limit maxNameLength)";
    }
}
