package com.dooneflow.rest.internal;

import java.util.Locale;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the API accepts of a request body: its size, and in it the nesting depth, string, field-name and
 * number lengths, which Jackson enforces while parsing. They are far below Jackson's own defaults, with which
 * stored JSON is read again, so whatever is accepted can be stored and shown.
 */
final class BodyLimits {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Workflow definitions nest fewer than 10 levels. */
    static final int MAX_NESTING_DEPTH = 64;
    /** Never reached at the default body size; it keeps strings readable should the body limit be raised. */
    static final int MAX_STRING_LENGTH = 1024 * 1024;
    static final int MAX_NAME_LENGTH = 4096;
    /** A 128-bit integer has 39 digits, a double at most 17 significant ones. */
    static final int MAX_NUMBER_LENGTH = 100;

    final int maxBodyBytes;
    final int maxNestingDepth;
    final int maxStringLength;
    final int maxNameLength;
    final int maxNumberLength;
    /** {@link Json#MAPPER} with these limits. */
    final ObjectMapper mapper;

    BodyLimits(int maxBodyBytes, int maxNestingDepth, int maxStringLength, int maxNameLength, int maxNumberLength) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringLength = maxStringLength;
        this.maxNameLength = maxNameLength;
        this.maxNumberLength = maxNumberLength;
        StreamReadConstraints limits = StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength).maxNameLength(maxNameLength).maxNumberLength(maxNumberLength)
                .build();
        this.mapper = Json.MAPPER.copyWith(Json.MAPPER.getFactory().rebuild().streamReadConstraints(limits).build());
    }

    static BodyLimits of(RestConfig c) {
        return new BodyLimits(c.maxBodyBytes(), c.maxNestingDepth(), c.maxStringLength(), c.maxNameLength(),
                c.maxNumberLength());
    }

    /** The defaults, with another body size. */
    static BodyLimits withMaxBodyBytes(int maxBodyBytes) {
        return new BodyLimits(maxBodyBytes, MAX_NESTING_DEPTH, MAX_STRING_LENGTH, MAX_NAME_LENGTH, MAX_NUMBER_LENGTH);
    }

    /** What is over which limit, for the field error's message (Jackson's message says which limit). */
    String overLimit(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "nests arrays and objects deeper than " + maxNestingDepth + " levels (limit maxNestingDepth)";
        }
        if (m.startsWith("string value length")) {
            return "is longer than " + maxStringLength + " characters (limit maxStringLength)";
        }
        if (m.startsWith("name length")) {
            return "has a field name longer than " + maxNameLength + " characters (limit maxNameLength)";
        }
        if (m.startsWith("number value length")) {
            return "is a number longer than " + maxNumberLength + " digits (limit maxNumberLength)";
        }
        return "is over a parsing limit: " + e.getOriginalMessage();
    }
}
