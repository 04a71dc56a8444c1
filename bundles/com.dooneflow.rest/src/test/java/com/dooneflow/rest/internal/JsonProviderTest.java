package com.dooneflow.rest.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Organization;
import com.dooneflow.api.json.JsonLimits;
import com.dooneflow.api.Role;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonProviderTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Annotation[] NONE = new Annotation[0];
    private static final Type MEMBERS = new TypeReference<List<Dto.AddMemberBody>>() {
    }.getType();

    /** A body with a nested list, as workflows will have ({@code actions[1].params.url}). */
    record Team(String name, List<Dto.AddMemberBody> members) {
    }

    private final JsonProvider provider = new JsonProvider(1024);

    private Object read(JsonProvider p, Type type, byte[] body) throws IOException {
        return read(p, type, new ByteArrayInputStream(body));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object read(JsonProvider p, Type type, InputStream in) throws IOException {
        Class raw = type instanceof Class<?> c ? c : List.class;
        return p.readFrom(raw, type, NONE, MediaType.APPLICATION_JSON_TYPE, new MultivaluedHashMap<>(), in);
    }

    private Object read(Type type, String body) throws IOException {
        return read(provider, type, body.getBytes(UTF_8));
    }

    /** The problem a rejected body gets, after checking it is one. */
    private JsonNode rejected(int status, Type type, String body) throws IOException {
        return problemOf(assertThrows(WebApplicationException.class, () -> read(type, body)), status);
    }

    private static JsonNode problemOf(WebApplicationException e, int status) throws IOException {
        Response r = e.getResponse();
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        JsonNode problem = PLAIN.readTree((String) r.getEntity());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }

    private static String field(JsonNode problem) {
        assertThat(problem.path("errors")).hasSize(1);
        return problem.path("errors").get(0).path("field").asText();
    }

    @Test
    void readsAValidBody() throws IOException {
        Object body = read(Dto.AddMemberBody.class, "{\"email\": \"ana@example.com\", \"role\": \"admin\"}");
        assertThat(body).isEqualTo(new Dto.AddMemberBody("ana@example.com", "admin"));
    }

    @Test
    void unknownFieldIs400NamingIt() throws IOException {
        JsonNode problem = rejected(400, Dto.AddMemberBody.class,
                "{\"email\": \"ana@example.com\", \"role\": \"admin\", \"nickname\": \"Ana\"}");
        assertThat(field(problem)).isEqualTo("nickname");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("is not a known field");
        assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/invalid-request");
        assertThat(problem.path("title").asText()).isEqualTo("Invalid request");
        assertThat(problem.path("detail").asText()).contains("nickname");
    }

    @Test
    void numberForAStringIs400NamingTheField() throws IOException {
        JsonNode problem = rejected(400, Dto.NameBody.class, "{\"name\": 5}");
        assertThat(field(problem)).isEqualTo("name");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("expected a string");
    }

    @Test
    void booleanOrObjectForAStringIs400NamingTheField() throws IOException {
        assertThat(field(rejected(400, Dto.NameBody.class, "{\"name\": true}"))).isEqualTo("name");
        assertThat(field(rejected(400, Dto.RoleBody.class, "{\"role\": {\"id\": \"owner\"}}"))).isEqualTo("role");
        assertThat(field(rejected(400, Dto.RoleBody.class, "{\"role\": [\"owner\"]}"))).isEqualTo("role");
    }

    @Test
    void wrongTypeForTheWholeBodyNamesBody() throws IOException {
        JsonNode problem = rejected(400, Dto.NameBody.class, "[\"Acme\"]");
        assertThat(field(problem)).isEqualTo("body");
    }

    @Test
    void malformedJsonIs400OnBody() throws IOException {
        JsonNode problem = rejected(400, Dto.NameBody.class, "{\"name\": ");
        assertThat(field(problem)).isEqualTo("body");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("is not valid JSON");
        assertThat(field(rejected(400, Dto.NameBody.class, "{name: 'Acme'}"))).isEqualTo("body");
    }

    @Test
    void trailingContentIs400OnBody() throws IOException {
        assertThat(field(rejected(400, Dto.NameBody.class, "{\"name\": \"a\"} {\"name\": \"b\"}"))).isEqualTo("body");
    }

    @Test
    void emptyBodyIs400() throws IOException {
        JsonNode problem = rejected(400, Dto.NameBody.class, "");
        assertThat(field(problem)).isEqualTo("body");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("is required");
    }

    @Test
    void whitespaceOnlyBodyIs400() throws IOException {
        assertThat(field(rejected(400, Dto.NameBody.class, "  \n "))).isEqualTo("body");
    }

    @Test
    void bodyOverTheLimitIs413AndOneAtTheLimitIsRead() throws IOException {
        JsonProvider small = new JsonProvider(32);
        String atLimit = "{\"name\": \"" + "x".repeat(32 - 12) + "\"}";
        assertThat(atLimit.getBytes(UTF_8)).hasSize(32);
        assertThat(read(small, Dto.NameBody.class, atLimit.getBytes(UTF_8)))
                .isEqualTo(new Dto.NameBody("x".repeat(20)));

        String overLimit = "{\"name\": \"" + "x".repeat(32 - 11) + "\"}";
        WebApplicationException e = assertThrows(WebApplicationException.class,
                () -> read(small, Dto.NameBody.class, overLimit.getBytes(UTF_8)));
        JsonNode problem = problemOf(e, 413);
        assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/body-too-large");
        assertThat(problem.path("detail").asText()).contains("32 bytes");
    }

    @Test
    void anEndlessBodyIsCutOffAt413() throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                return len;
            }
        };
        WebApplicationException e = assertThrows(WebApplicationException.class,
                () -> read(new JsonProvider(100_000), Dto.NameBody.class, endless));
        problemOf(e, 413);
    }

    @Test
    void nestedPathsNameTheElement() throws IOException {
        String list = "[{\"email\": \"ana@example.com\", \"role\": \"admin\"}, {\"email\": 5, \"role\": \"member\"}]";
        assertThat(field(rejected(400, MEMBERS, list))).isEqualTo("[1].email");

        String unknown = "[{\"email\": \"ana@example.com\", \"role\": \"admin\"}, {\"emial\": \"bo@example.com\"}]";
        assertThat(field(rejected(400, MEMBERS, unknown))).isEqualTo("[1].emial");

        String team = "{\"name\": \"Ops\", \"members\": [{\"email\": \"ana@example.com\", \"role\": \"admin\"},"
                + " {\"email\": \"bo@example.com\", \"role\": false}]}";
        assertThat(field(rejected(400, Team.class, team))).isEqualTo("members[1].role");

        String teamUnknown = "{\"name\": \"Ops\", \"members\": [{\"email\": \"ana@example.com\", \"rank\": 1}]}";
        assertThat(field(rejected(400, Team.class, teamUnknown))).isEqualTo("members[0].rank");
    }

    @Test
    void aNulCharacterInAnyStringIs422NamingWhereItIs() throws IOException {
        JsonNode problem = rejected(422, Dto.NameBody.class, "{\"name\": \"Ac\\u0000me\"}");
        assertThat(field(problem)).isEqualTo("name");
        assertThat(problem.path("type").asText()).isEqualTo("https://dooneflow.org/problems/validation");
        assertThat(problem.path("errors").get(0).path("message").asText()).contains("NUL");

        String team = "{\"name\": \"Ops\", \"members\": [{\"email\": \"ana@example.com\", \"role\": \"admin\"},"
                + " {\"email\": \"bo\\u0000@example.com\", \"role\": \"member\"}]}";
        assertThat(field(rejected(422, Team.class, team))).isEqualTo("members[1].email");
        assertThat(field(rejected(422, MEMBERS, "[{\"email\": \"a@example.com\", \"ro\\u0000le\": \"admin\"}]")))
                .isEqualTo("[0].ro\u0000le");
        assertThat(field(rejected(422, Dto.NameBody.class, "\"\\u0000\""))).isEqualTo("body");
        assertThat(read(Dto.NameBody.class, "{\"name\": \"Acme \\u0001 \\u00e9\"}"))
                .isEqualTo(new Dto.NameBody("Acme \u0001 \u00e9"));
    }

    @Test
    void bodiesOverALimitAre400NamingTheLimitAndWhere() throws IOException {
        JsonProvider tight = new JsonProvider(new JsonLimits(1024, 3, 10, 7, 3));
        String team = "{\"name\": \"Ops\", \"members\": [{\"email\": \"%s\", \"role\": \"admin\"}]}";
        assertThat(read(tight, Team.class, team.formatted("a@b.c").getBytes(UTF_8))).isNotNull();

        JsonNode longString = problemOf(assertThrows(WebApplicationException.class,
                () -> read(tight, Team.class, team.formatted("ana@example.com").getBytes(UTF_8))), 400);
        assertThat(field(longString)).isEqualTo("members[0].email");
        assertThat(longString.path("errors").get(0).path("message").asText()).contains("maxStringLength");

        String deep = "{\"name\": \"Ops\", \"members\": [{\"email\": [[1]]}]}";
        JsonNode tooDeep = problemOf(assertThrows(WebApplicationException.class,
                () -> read(tight, Team.class, deep.getBytes(UTF_8))), 400);
        assertThat(field(tooDeep)).startsWith("members[0].email");
        assertThat(tooDeep.path("detail").asText()).contains("maxNestingDepth");

        JsonNode longName = problemOf(assertThrows(WebApplicationException.class,
                () -> read(tight, Dto.NameBody.class, "{\"nameXYZW\": \"a\"}".getBytes(UTF_8))), 400);
        assertThat(longName.path("detail").asText()).contains("maxNameLength");

        JsonNode longNumber = problemOf(assertThrows(WebApplicationException.class,
                () -> read(tight, Dto.NameBody.class, "{\"name\": 1234}".getBytes(UTF_8))), 400);
        assertThat(field(longNumber)).isEqualTo("name");
        assertThat(longNumber.path("detail").asText()).contains("maxNumberLength");
    }

    @Test
    void theDefaultLimitsRefuseADocumentNested1000Deep() throws IOException {
        String deep = "{\"name\": " + "[".repeat(1000) + "]".repeat(1000) + "}";
        JsonNode problem = problemOf(assertThrows(WebApplicationException.class,
                () -> read(new JsonProvider(1024 * 1024), Dto.NameBody.class, deep.getBytes(UTF_8))), 400);
        assertThat(problem.path("detail").asText()).contains("64").contains("maxNestingDepth");
    }

    @Test
    void aValueThatCannotBeWrittenFailsBeforeAByteIsSent() {
        // Deeper than Jackson writes (1000 levels): serialising fails part way through.
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < 1100; i++) {
            List<Object> next = new ArrayList<>();
            at.add(next);
            at = next;
        }
        Map<String, Object> page = new java.util.LinkedHashMap<>();
        page.put("items", List.of("a".repeat(100_000), deep));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> provider.writeTo(page, Map.class, Map.class, NONE,
                MediaType.APPLICATION_JSON_TYPE, new MultivaluedHashMap<>(), out));
        assertThat(out.size()).as("nothing sent, so the status can still become a 500").isZero();
    }

    @Test
    void readsAGenericList() throws IOException {
        Object members = read(MEMBERS, "[{\"email\": \"ana@example.com\", \"role\": \"admin\"}]");
        assertThat(members).isEqualTo(List.of(new Dto.AddMemberBody("ana@example.com", "admin")));
    }

    @Test
    void writesOrganizationsWithLowerCaseRolesAndRfc3339Times() throws IOException {
        Organization org = new Organization("0b7e2b4c-3f7e-4c8e-9a51-2f4c8f1f6b10", "Acme",
                Instant.parse("2024-05-01T10:15:30.123Z"), Role.OWNER);
        JsonNode json = written(org);
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("id", "name", "createdAt", "role");
        assertThat(json.path("role").asText()).isEqualTo("owner");
        assertThat(json.path("createdAt").isTextual()).isTrue();
        assertThat(json.path("createdAt").asText()).isEqualTo("2024-05-01T10:15:30.123Z");
        OffsetDateTime parsed = OffsetDateTime.parse(json.path("createdAt").asText());
        assertThat(parsed.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(parsed.toInstant()).isEqualTo(org.createdAt());
    }

    @Test
    void writesTypeDescriptorsWithLowerCaseEnumsAndOnlyTheirComponents() throws IOException {
        TypeDescriptor type = new TypeDescriptor("team.assign", TypeDescriptor.Kind.ACTION, "Assign", null,
                List.of(ParameterDescriptor.of("pool", "Pool", ParameterType.STRING_LIST).asRequired()
                                .withOptionSource("team.members"),
                        ParameterDescriptor.of("mode", "Mode", ParameterType.SELECT).withOptions("a", "b")
                                .withDefault("a"),
                        ParameterDescriptor.of("timeoutSeconds", "Timeout", ParameterType.INTEGER).withRange(1L, 120L),
                        ParameterDescriptor.of("id", "Id", ParameterType.STRING).withLength(15, 18)
                                .withPattern("[A-Za-z0-9]+", "must be letters and digits"),
                        ParameterDescriptor.of("url", "URL", ParameterType.URL)))
                .withOutputs(OutputDescriptor.of("team_member_name", OutputDescriptor.Type.TEXT, "The name."));
        JsonNode json = written(type);
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("type", "kind", "label", "description", "parameters",
                "outputs");
        assertThat(json.path("outputs").get(0)).isEqualTo(Json.MAPPER.readTree(
                "{\"name\": \"team_member_name\", \"type\": \"text\", \"description\": \"The name.\"}"));
        assertThat(json.path("kind").asText()).isEqualTo("action");
        JsonNode pool = json.path("parameters").get(0);
        assertThat(fieldNames(pool)).containsExactlyInAnyOrder("name", "label", "type", "required", "secret",
                "templatable", "options", "defaultValue", "description", "min", "max", "minLength", "maxLength",
                "pattern", "patternMessage", "optionSource");
        assertThat(pool.path("optionSource").asText()).isEqualTo("team.members");
        assertThat(json.path("parameters").get(1).path("optionSource").isNull()).isTrue();
        assertThat(pool.path("min").isNull()).as("no constraint: null, not left out").isTrue();
        assertThat(pool.path("type").asText()).isEqualTo("string_list");
        assertThat(pool.path("required").asBoolean()).isTrue();
        JsonNode mode = json.path("parameters").get(1);
        assertThat(mode.path("type").asText()).isEqualTo("select");
        assertThat(mode.path("options")).hasSize(2);
        assertThat(mode.path("defaultValue").asText()).isEqualTo("a");
        JsonNode timeout = json.path("parameters").get(2);
        assertThat(timeout.path("min").asLong()).isEqualTo(1);
        assertThat(timeout.path("max").asLong()).isEqualTo(120);
        JsonNode id = json.path("parameters").get(3);
        assertThat(id.path("minLength").asInt()).isEqualTo(15);
        assertThat(id.path("maxLength").asInt()).isEqualTo(18);
        assertThat(id.path("pattern").asText()).isEqualTo("[A-Za-z0-9]+");
        assertThat(id.path("patternMessage").asText()).isEqualTo("must be letters and digits");
        assertThat(json.path("parameters").get(4).path("type").asText()).isEqualTo("url");
    }

    @Test
    void writesListsWithAnExplicitNullCursor() throws IOException {
        JsonNode json = written(Dto.Items.of(List.of("x")));
        assertThat(json.has("nextCursor")).isTrue();
        assertThat(json.path("nextCursor").isNull()).isTrue();
        assertThat(json.path("items")).hasSize(1);
    }

    @Test
    void doesNotCloseTheContainersStream() throws IOException {
        List<String> events = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                events.add("closed");
            }
        };
        provider.writeTo(Dto.Items.of(List.of()), Dto.Items.class, Dto.Items.class, NONE,
                MediaType.APPLICATION_JSON_TYPE, new MultivaluedHashMap<>(), out);
        assertThat(events).isEmpty();
        assertThat(out.toString(UTF_8)).isEqualTo("{\"items\":[],\"nextCursor\":null}");
    }

    @Test
    void handlesJsonMediaTypesButLeavesStringsAndBytesToTheRuntime() {
        MediaType json = MediaType.APPLICATION_JSON_TYPE;
        MediaType problem = new MediaType("application", "problem+json");
        assertThat(provider.isReadable(Dto.NameBody.class, Dto.NameBody.class, NONE, json)).isTrue();
        assertThat(provider.isReadable(Dto.NameBody.class, Dto.NameBody.class, NONE, problem)).isTrue();
        assertThat(provider.isReadable(Dto.NameBody.class, Dto.NameBody.class, NONE, MediaType.TEXT_PLAIN_TYPE))
                .isFalse();
        assertThat(provider.isReadable(Dto.NameBody.class, Dto.NameBody.class, NONE, null)).isFalse();
        assertThat(provider.isReadable(String.class, String.class, NONE, json)).isFalse();
        assertThat(provider.isReadable(InputStream.class, InputStream.class, NONE, json)).isFalse();
        assertThat(provider.isWriteable(Organization.class, Organization.class, NONE, json)).isTrue();
        // Problem bodies are pre-serialised strings; the OpenAPI document is bytes: both pass through untouched.
        assertThat(provider.isWriteable(String.class, String.class, NONE, problem)).isFalse();
        assertThat(provider.isWriteable(byte[].class, byte[].class, NONE, json)).isFalse();
    }

    private JsonNode written(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        provider.writeTo(value, value.getClass(), value.getClass(), NONE, MediaType.APPLICATION_JSON_TYPE,
                new MultivaluedHashMap<>(), out);
        return PLAIN.readTree(out.toByteArray());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
