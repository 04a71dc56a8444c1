package com.dooneflow.connector.webhook.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The connector's ObjectMapper, configured as everywhere in DooneFlow ({@link com.dooneflow.api.json.Json}); callers
 * hold it to their {@link com.dooneflow.api.json.JsonLimits}.
 */
final class Json {

    static final ObjectMapper MAPPER = com.dooneflow.api.json.Json.mapper();

    private Json() {
    }
}
