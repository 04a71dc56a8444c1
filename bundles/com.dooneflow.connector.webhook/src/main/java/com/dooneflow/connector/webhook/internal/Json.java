package com.dooneflow.connector.webhook.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The connector's ObjectMapper: it reads bodies strictly (one JSON value, nothing after it); callers hold it to
 * their {@link com.dooneflow.api.json.JsonLimits}.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }
}
