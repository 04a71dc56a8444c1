package com.dooneflow.rest.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Merges connector fragments ({@code {"tags": [...], "paths": ..., "components": {"schemas": ...}}}) into the core
 * document.
 */
final class OpenApiDocuments {

    private static final ObjectMapper MAPPER = com.dooneflow.api.json.Json.mapper();

    private OpenApiDocuments() {
    }

    static byte[] merge(byte[] core, Collection<byte[]> fragments) {
        try {
            ObjectNode document = (ObjectNode) MAPPER.readTree(core);
            for (byte[] fragment : fragments) {
                JsonNode node = MAPPER.readTree(fragment);
                addTags(node.path("tags"), document.withArray("tags"));
                copyFields(node.path("paths"), document.with("paths"));
                copyFields(node.path("components").path("schemas"), document.with("components").with("schemas"));
            }
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("an OpenAPI fragment is not valid JSON", e);
        }
    }

    /** Tags are a list of {@code {"name": ...}}: a fragment adds the ones the document does not have yet. */
    private static void addTags(JsonNode from, ArrayNode to) {
        for (JsonNode tag : from) {
            String name = tag.path("name").asText();
            boolean known = false;
            for (JsonNode existing : to) {
                known |= existing.path("name").asText().equals(name);
            }
            if (!known && !name.isEmpty()) {
                to.add(tag);
            }
        }
    }

    /** A connector's entry never replaces a core one: the core document stays authoritative for its own paths. */
    private static void copyFields(JsonNode from, ObjectNode to) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!to.has(field.getKey())) {
                to.set(field.getKey(), field.getValue());
            }
        }
    }
}
