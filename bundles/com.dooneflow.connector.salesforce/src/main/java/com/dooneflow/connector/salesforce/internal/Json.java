package com.dooneflow.connector.salesforce.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The connector's one ObjectMapper: reads bodies strictly (one JSON value, nothing after it). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }
}
