package com.dooneflow.connector.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.annotation.security.PermitAll;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The OpenAPI fragment and the JAX-RS resources describe the same operations, and the public one is marked so. */
class OpenApiFragmentTest {

    private static final List<Class<?>> RESOURCES = List.of(TwilioSettingsResource.class, TwilioStatusResource.class);
    private static final List<Class<? extends Annotation>> VERBS = List.of(GET.class, POST.class, PUT.class,
            PATCH.class, DELETE.class);

    private static JsonNode fragment() throws Exception {
        try (InputStream in = OpenApiFragmentTest.class.getResourceAsStream("/openapi/twilio.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyResourceMethodIsInTheFragmentAndViceVersa() throws Exception {
        Set<String> code = new TreeSet<>();
        Set<String> publicInCode = new TreeSet<>();
        for (Class<?> resource : RESOURCES) {
            String base = "/" + resource.getAnnotation(Path.class).value();
            for (Method m : resource.getMethods()) {
                for (Class<? extends Annotation> verb : VERBS) {
                    if (m.isAnnotationPresent(verb)) {
                        Path sub = m.getAnnotation(Path.class);
                        String op = verb.getSimpleName() + " " + base + (sub == null ? "" : "/" + sub.value());
                        code.add(op);
                        if (m.isAnnotationPresent(PermitAll.class) || resource.isAnnotationPresent(PermitAll.class)) {
                            publicInCode.add(op);
                        }
                    }
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Set<String> publicInDocument = new TreeSet<>();
        JsonNode paths = fragment().path("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Class<? extends Annotation> verb : VERBS) {
                JsonNode operation = paths.path(path).path(verb.getSimpleName().toLowerCase());
                if (!operation.isMissingNode()) {
                    documented.add(verb.getSimpleName() + " " + path);
                    if (operation.has("security") && operation.path("security").isEmpty()) {
                        publicInDocument.add(verb.getSimpleName() + " " + path);
                    }
                }
            }
        }
        assertThat(documented).isEqualTo(code).hasSize(5);
        assertThat(publicInDocument).isEqualTo(publicInCode).containsExactly("POST /v1/twilio/status/{orgId}/{executionId}/{stepIndex}");
    }

    @Test
    void everySchemaTheFragmentReferencesIsDefinedOrCore() throws Exception {
        JsonNode fragment = fragment();
        Set<String> refs = new TreeSet<>();
        collectRefs(fragment, refs);
        for (String ref : refs) {
            if (ref.startsWith("#/components/schemas/")) {
                assertThat(fragment.path("components").path("schemas").has(ref.substring(21))).as(ref).isTrue();
            } else {
                // Shared responses and parameters of the core document.
                assertThat(ref).matches("#/components/(responses|parameters)/[A-Za-z]+");
            }
        }
    }

    private static void collectRefs(JsonNode node, Set<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
