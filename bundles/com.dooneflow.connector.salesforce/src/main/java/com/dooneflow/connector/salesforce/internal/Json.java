package com.dooneflow.connector.salesforce.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The connector's one ObjectMapper, configured as everywhere in DooneFlow ({@link com.dooneflow.api.json.Json}). */
final class Json {

    static final ObjectMapper MAPPER = com.dooneflow.api.json.Json.mapper();

    private Json() {
    }
}
