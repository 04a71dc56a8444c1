package com.dooneflow.connector.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;

import javax.annotation.security.PermitAll;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.Path;
import javax.ws.rs.QueryParam;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The OpenAPI fragment against the code: exactly the operations the resource serves, public ones marked so. */
class OpenApiFragmentTest {

    private static final String FRAGMENT = "openapi/salesforce.json";
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void everyResourceMethodIsDocumentedAndNothingElse() throws Exception {
        assertThat(documented().keySet()).isEqualTo(served().keySet());
    }

    @Test
    void publicMethodsAndOnlyThoseHaveNoSecurity() throws Exception {
        Map<String, Boolean> served = served();
        Map<String, Boolean> documented = documented();
        served.forEach((op, isPublic) -> assertThat(documented.get(op)).as(op).isEqualTo(isPublic));
    }

    @Test
    void everyOperationDocumentsExactlyTheQueryParametersItReads() throws Exception {
        assertThat(documentedQueryParameters()).isEqualTo(servedQueryParameters());
        assertThat(servedQueryParameters().get("GET /v1/organizations/{orgId}/integrations/salesforce"))
                .containsExactly("cursor", "limit");
    }

    @Test
    void everyConnectionFieldTheApiReturnsIsInTheSchema() throws Exception {
        JsonNode schema = fragment().path("components").path("schemas").path("SalesforceConnection").path("properties");
        try (Rig rig = new Rig(); SalesforceFake fake = SalesforceFake.start()) {
            String id = rig.create("P", "production", fake);
            Set<String> fields = new TreeSet<>(rig.connections.get(Fakes.OWNER, Fakes.ORG, id).keySet());
            Set<String> created = new TreeSet<>(rig.connections.create(Fakes.OWNER, Fakes.ORG, new ConnectionBody(
                    "Q", null, fake.baseUrl(), "cid", "s", null)).keySet());
            assertThat(created).isEqualTo(with(fields, "authorizeUrl"));
            Set<String> described = new TreeSet<>();
            schema.fieldNames().forEachRemaining(described::add);
            assertThat(described).isEqualTo(fields);
        }
        JsonNode request = fragment().path("components").path("schemas").path("SalesforceConnectionRequest")
                .path("properties");
        Set<String> requestFields = new TreeSet<>();
        request.fieldNames().forEachRemaining(requestFields::add);
        Set<String> components = new TreeSet<>();
        for (var c : ConnectionBody.class.getRecordComponents()) {
            components.add(c.getName());
        }
        assertThat(requestFields).isEqualTo(components);
    }

    @Test
    void theManifestPointsAtTheFragment() throws Exception {
        // bnd writes the bundle's manifest into the build output before the tests run.
        try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            assertThat(new Manifest(in).getMainAttributes().getValue("DooneFlow-OpenAPI")).isEqualTo(FRAGMENT);
        }
        assertThat(getClass().getClassLoader().getResource(FRAGMENT)).isNotNull();
    }

    private static Set<String> with(Set<String> fields, String extra) {
        Set<String> out = new TreeSet<>(fields);
        out.add(extra);
        return out;
    }

    /** "METHOD /path" → public? from the JAX-RS annotations. */
    private static Map<String, Boolean> served() {
        Map<String, Boolean> ops = new TreeMap<>();
        Class<?> resource = SalesforceConnectionResource.class;
        String base = "/" + resource.getAnnotation(Path.class).value();
        for (Method m : resource.getDeclaredMethods()) {
            String verb = null;
            for (var a : m.getAnnotations()) {
                HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
                if (h != null) {
                    verb = h.value();
                }
            }
            if (verb == null) {
                continue;
            }
            Path sub = m.getAnnotation(Path.class);
            String path = sub == null ? base : base + "/" + sub.value();
            ops.put(verb + " " + path, m.isAnnotationPresent(PermitAll.class));
        }
        return ops;
    }

    /** The core document's shared parameters the fragment refers to: {@code $ref} name → "in name". */
    private static final Map<String, String> SHARED_PARAMETERS = Map.of("OrgId", "path orgId", "Limit", "query limit",
            "Cursor", "query cursor");

    /** "METHOD /path" → the names of its {@code @QueryParam}s. */
    private static Map<String, Set<String>> servedQueryParameters() {
        Map<String, Set<String>> ops = new TreeMap<>();
        Class<?> resource = SalesforceConnectionResource.class;
        String base = "/" + resource.getAnnotation(Path.class).value();
        for (Method m : resource.getDeclaredMethods()) {
            for (var a : m.getAnnotations()) {
                HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
                if (h != null) {
                    Path sub = m.getAnnotation(Path.class);
                    Set<String> names = new TreeSet<>();
                    for (var p : m.getParameters()) {
                        QueryParam q = p.getAnnotation(QueryParam.class);
                        if (q != null) {
                            names.add(q.value());
                        }
                    }
                    ops.put(h.value() + " " + (sub == null ? base : base + "/" + sub.value()), names);
                }
            }
        }
        return ops;
    }

    /** "METHOD /path" → its query parameters in the fragment (path-level and operation-level, refs resolved). */
    private static Map<String, Set<String>> documentedQueryParameters() throws Exception {
        Map<String, Set<String>> ops = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = fragment().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                if (HTTP_METHODS.contains(m.getKey())) {
                    Set<String> names = new TreeSet<>();
                    for (JsonNode list : List.of(p.getValue().path("parameters"), m.getValue().path("parameters"))) {
                        for (JsonNode param : list) {
                            String inAndName = param.has("$ref")
                                    ? SHARED_PARAMETERS.get(param.get("$ref").asText().replace("#/components/parameters/", ""))
                                    : param.path("in").asText() + " " + param.path("name").asText();
                            assertThat(inAndName).as("parameter %s of %s %s", param, m.getKey(), p.getKey()).isNotNull();
                            if (inAndName.startsWith("query ")) {
                                names.add(inAndName.substring("query ".length()));
                            }
                        }
                    }
                    ops.put(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), names);
                }
            }
        }
        return ops;
    }

    /** "METHOD /path" → public? (an empty security list) from the fragment. */
    private static Map<String, Boolean> documented() throws Exception {
        Map<String, Boolean> ops = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = fragment().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                if (HTTP_METHODS.contains(m.getKey())) {
                    JsonNode security = m.getValue().path("security");
                    ops.put(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(),
                            security.isArray() && security.isEmpty());
                }
            }
        }
        return ops;
    }

    private static JsonNode fragment() throws Exception {
        try (InputStream in = OpenApiFragmentTest.class.getClassLoader().getResourceAsStream(FRAGMENT)) {
            return Json.MAPPER.readTree(in);
        }
    }
}
