package com.dooneflow.connector.webhook.internal;

import java.util.Locale;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the receiver accepts of a body: its size, and in it the nesting depth, string, field-name and number
 * lengths. Jackson enforces the last four while parsing. They are far below Jackson's own defaults, with which
 * the engine and the REST API read stored trigger data, so whatever is accepted can be stored and shown again.
 */
final class BodyLimits {

    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Real payloads nest fewer than 10 levels; stored data is wrapped a few levels deeper when shown. */
    static final int MAX_NESTING_DEPTH = 64;
    /** Never reached at the default body size; it keeps strings readable should the body limit be raised. */
    static final int MAX_STRING_LENGTH = 1024 * 1024;
    /** Field names are words, ids or the odd URL. */
    static final int MAX_NAME_LENGTH = 4096;
    /** A 128-bit integer has 39 digits, a double at most 17 significant ones. */
    static final int MAX_NUMBER_LENGTH = 100;

    final int maxBodyBytes;
    final int maxNestingDepth;
    final int maxStringLength;
    final int maxNameLength;
    final int maxNumberLength;
    final ObjectMapper mapper;

    BodyLimits(int maxBodyBytes, int maxNestingDepth, int maxStringLength, int maxNameLength, int maxNumberLength) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxNestingDepth = maxNestingDepth;
        this.maxStringLength = maxStringLength;
        this.maxNameLength = maxNameLength;
        this.maxNumberLength = maxNumberLength;
        this.mapper = Json.reading(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength).maxNameLength(maxNameLength).maxNumberLength(maxNumberLength)
                .build());
    }

    static BodyLimits of(WebhookReceiverResource.Config c) {
        return new BodyLimits(c.maxBodyBytes(), c.maxNestingDepth(), c.maxStringLength(), c.maxNameLength(),
                c.maxNumberLength());
    }

    /** The defaults, with another body size. */
    static BodyLimits withMaxBodyBytes(int maxBodyBytes) {
        return new BodyLimits(maxBodyBytes, MAX_NESTING_DEPTH, MAX_STRING_LENGTH, MAX_NAME_LENGTH, MAX_NUMBER_LENGTH);
    }

    /** The sentence for a 400: which limit the body is over (Jackson's message says which). */
    String overLimit(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("nesting depth")) {
            return "The body nests arrays and objects deeper than " + maxNestingDepth
                    + " levels (limit maxNestingDepth).";
        }
        if (m.startsWith("string value length")) {
            return stringTooLong();
        }
        if (m.startsWith("name length")) {
            return nameTooLong();
        }
        if (m.startsWith("number value length")) {
            return "A number in the body is longer than " + maxNumberLength + " digits (limit maxNumberLength).";
        }
        return "The body is over a parsing limit: " + e.getOriginalMessage();
    }

    /** The sentence for a 400 when a form field is over a limit, else null. */
    String formOverLimit(String name, String value) {
        if (name.length() > maxNameLength) {
            return nameTooLong();
        }
        return value.length() > maxStringLength ? stringTooLong() : null;
    }

    private String stringTooLong() {
        return "A string in the body is longer than " + maxStringLength + " characters (limit maxStringLength).";
    }

    private String nameTooLong() {
        return "A field name in the body is longer than " + maxNameLength + " characters (limit maxNameLength).";
    }
}
