package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The OpenAPI fragment and the JAX-RS resources describe the same operations, and its schemas resolve. */
class OpenApiFragmentTest {

    static final List<Class<?>> RESOURCES = List.of(EmailInboxResource.class, EmailOAuthAppResource.class);
    static final Map<Class<?>, String> VERBS = Map.of(GET.class, "GET", POST.class, "POST", PUT.class, "PUT",
            PATCH.class, "PATCH", DELETE.class, "DELETE");

    static JsonNode fragment() throws Exception {
        try (InputStream in = OpenApiFragmentTest.class.getResourceAsStream("/openapi/email.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyResourceMethodIsDocumentedAndNothingElse() throws Exception {
        Set<String> code = new TreeSet<>();
        for (Class<?> resource : RESOURCES) {
            String base = "/" + resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                for (var verb : VERBS.entrySet()) {
                    if (m.isAnnotationPresent(verb.getKey().asSubclass(java.lang.annotation.Annotation.class))) {
                        Path sub = m.getAnnotation(Path.class);
                        code.add(verb.getValue() + " " + base + (sub == null ? "" : "/" + sub.value()));
                    }
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = fragment().get("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            path.getValue().fieldNames().forEachRemaining(op -> {
                if (!op.equals("parameters")) {
                    documented.add(op.toUpperCase() + " " + path.getKey());
                }
            });
        }

        assertThat(code).isNotEmpty().isEqualTo(documented);
    }

    @Test
    void everySchemaReferenceOfTheFragmentIsDefinedInIt() throws Exception {
        JsonNode fragment = fragment();
        Matcher refs = Pattern.compile("#/components/schemas/(\\w+)").matcher(fragment.toString());
        Set<String> missing = new TreeSet<>();
        while (refs.find()) {
            if (!fragment.get("components").get("schemas").has(refs.group(1))) {
                missing.add(refs.group(1));
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theInboxSchemasNameExactlyTheFieldsTheApiReturnsAndAccepts() throws Exception {
        JsonNode schemas = fragment().get("components").get("schemas");
        Inbox inbox = InboxRequest.create("id", "org", new java.util.HashMap<>(Map.of("emailAddress",
                "support@example.com", "host", "imap.example.com", "password", "pw")));

        assertThat(names(schemas.get("EmailInbox"))).isEqualTo(new TreeSet<>(inbox.view().keySet()));
        assertThat(names(schemas.get("EmailInboxCreate"))).isEqualTo(new TreeSet<>(InboxRequest.WRITABLE));
        assertThat(names(schemas.get("EmailInboxUpdate"))).isEqualTo(new TreeSet<>(InboxRequest.WRITABLE));
        assertThat(schemas.get("EmailInbox").get("properties").get("mode").get("enum").toString())
                .isEqualTo("[\"idle\",\"poll\"]");
    }

    @Test
    void theOAuthAppSchemasNameExactlyTheFieldsTheApiReturnsAndAccepts() throws Exception {
        JsonNode schemas = fragment().get("components").get("schemas");
        OAuthApp app = new OAuthApp("microsoft", "id", null, null, null, null, true);

        assertThat(names(schemas.get("EmailOAuthApp"))).isEqualTo(new TreeSet<>(app.view("https://x").keySet()));
        assertThat(names(schemas.get("EmailOAuthAppCreate"))).isEqualTo(new TreeSet<>(OAuthApps.WRITABLE));
        assertThat(names(schemas.get("EmailOAuthAppUpdate"))).isEqualTo(new TreeSet<>(OAuthApps.WRITABLE));
    }

    private static Set<String> names(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
