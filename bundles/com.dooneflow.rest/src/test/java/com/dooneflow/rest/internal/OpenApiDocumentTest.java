package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.annotation.security.PermitAll;
import javax.ws.rs.BeanParam;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.MatrixParam;
import javax.ws.rs.PathParam;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.ApiToken;
import com.dooneflow.api.ClusterNode;
import com.dooneflow.api.Event;
import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.Member;
import com.dooneflow.api.NodeRole;
import com.dooneflow.api.Organization;
import com.dooneflow.api.Page;
import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.Role;
import com.dooneflow.api.StepRun;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.WorkflowSecrets;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The served OpenAPI document against the code: exactly the operations the JAX-RS resources serve, the
 * right security on each, and schemas with the fields the records really have.
 */
class OpenApiDocumentTest {

    /** Known resources; the scan below must find at least these (and finds any new one). */
    private static final List<Class<?>> KNOWN_RESOURCES = List.of(HealthResource.class, OpenApiResource.class,
            MeResource.class, TokenResource.class, OrganizationResource.class, InvitationResource.class,
            ConnectorResource.class, OptionResource.class, ClusterResource.class, SessionResource.class,
            OidcResource.class, PasswordResetResource.class);

    /**
     * Paths the document describes that connector bundles serve, not this one (the public webhook receiver of
     * com.dooneflow.connector.webhook): documented, but never found by the scan of this bundle.
     */
    private static final Set<String> CONNECTOR_PATHS = Set.of("/webhook/{path}", "/webhook-test/{path}");

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

    private static JsonNode doc;
    private static Set<Class<?>> resources;
    private static Map<String, Operation> operations;

    /** One resource method as the code serves it. */
    record Operation(String path, String method, Method javaMethod) {
        String key() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }

        boolean isPublic() {
            return javaMethod.isAnnotationPresent(PermitAll.class)
                    || javaMethod.getDeclaringClass().isAnnotationPresent(PermitAll.class);
        }

        JsonNode in(JsonNode document) {
            return document.path("paths").path(path).path(method);
        }
    }

    @BeforeAll
    static void load() throws Exception {
        // What GET /v1/openapi.json serves before connector bundles add their fragments.
        byte[] served = OpenApiResource.coreDocument();
        doc = new ObjectMapper().readTree(served);
        resources = new LinkedHashSet<>(KNOWN_RESOURCES);
        resources.addAll(scanResourceClasses());
        operations = new TreeMap<>();
        for (Class<?> resource : resources) {
            for (Operation op : operationsOf(resource)) {
                Operation previous = operations.put(op.key(), op);
                assertThat(previous).as("two resource methods serve %s", op.key()).isNull();
            }
        }
    }

    /** Every class in target/classes/com/dooneflow/rest/internal annotated with @Path. */
    private static Set<Class<?>> scanResourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(OpenApiResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = OpenApiResource.class.getPackageName();
        Path dir = root.resolve(pkg.replace('.', '/'));
        Set<Class<?>> found = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class")) {
                    continue;
                }
                Class<?> c = Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length()), false,
                        OpenApiResource.class.getClassLoader());
                if (c.isAnnotationPresent(javax.ws.rs.Path.class)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    private static List<Operation> operationsOf(Class<?> resource) {
        String base = resource.getAnnotation(javax.ws.rs.Path.class).value();
        List<Operation> result = new ArrayList<>();
        for (Method m : resource.getMethods()) {
            String httpMethod = httpMethodOf(m);
            javax.ws.rs.Path sub = m.getAnnotation(javax.ws.rs.Path.class);
            if (httpMethod == null) {
                assertThat(sub).as("%s is a sub-resource locator, which this test (and the document) does not cover", m)
                        .isNull();
                continue;
            }
            result.add(new Operation(join(base, sub == null ? "" : sub.value()), httpMethod.toLowerCase(Locale.ROOT), m));
        }
        return result;
    }

    private static String httpMethodOf(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod hm = a.annotationType().getAnnotation(HttpMethod.class);
            if (hm != null) {
                return hm.value();
            }
        }
        return null;
    }

    /** Class @Path + method @Path as OpenAPI writes it: one leading slash, no trailing one, {name} templates. */
    static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // {id: [0-9]+} -> {id}
        return path.replaceAll("\\{\\s*([\\w.-]+)\\s*:[^}]*}", "{$1}");
    }

    private static Set<String> documentedOperations() {
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return documented;
    }

    @Test
    void joinBuildsOpenApiPaths() {
        assertThat(join("v1/organizations", "{orgId}/members")).isEqualTo("/v1/organizations/{orgId}/members");
        assertThat(join("/v1/tokens/", "")).isEqualTo("/v1/tokens");
        assertThat(join("v1/x", "/{id: [0-9]+}/")).isEqualTo("/v1/x/{id}");
    }

    @Test
    void scanFindsEveryResourceClass() throws Exception {
        assertThat(scanResourceClasses()).containsAll(KNOWN_RESOURCES);
    }

    @Test
    void isAnOpenApi31DocumentAboutDooneFlow() {
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("DooneFlow");
        assertThat(doc.path("info").path("version").asText()).isEqualTo("0.1.0");
        assertThat(doc.path("info").path("description").asText()).isNotBlank();
    }

    @Test
    void documentsExactlyTheOperationsTheCodeServes() {
        Set<String> served = new TreeSet<>(operations.keySet());
        Set<String> documented = documentedOperations();

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        notServed.removeIf(op -> CONNECTOR_PATHS.contains(op.substring(op.indexOf(' ') + 1)));
        assertThat(undocumented).as("served but not in openapi.json").isEmpty();
        assertThat(notServed).as("in openapi.json but not served").isEmpty();

        // And the set is the one the public contract names today (guards the scan itself).
        assertThat(served).contains("GET /v1/health", "GET /v1/openapi.json", "GET /v1/me", "GET /v1/tokens",
                "POST /v1/tokens", "DELETE /v1/tokens/{id}", "GET /v1/organizations", "POST /v1/organizations",
                "GET /v1/organizations/{orgId}", "PATCH /v1/organizations/{orgId}",
                "GET /v1/organizations/{orgId}/members", "POST /v1/organizations/{orgId}/members",
                "PATCH /v1/organizations/{orgId}/members/{userId}", "DELETE /v1/organizations/{orgId}/members/{userId}",
                "GET /v1/organizations/{orgId}/invitations", "DELETE /v1/organizations/{orgId}/invitations/{id}",
                "GET /v1/me/invitations", "POST /v1/invitations/accept", "POST /v1/invitations/{id}/accept",
                "POST /v1/invitations/{id}/decline", "GET /v1/connectors", "GET /v1/organizations/{orgId}/options/{source}",
                "GET /v1/cluster/nodes");
    }

    @Test
    void connectorPathsAreDocumentedAndNotServedHere() {
        for (String path : CONNECTOR_PATHS) {
            assertThat(operations.values()).as("%s is served by a connector bundle, not this one", path)
                    .noneMatch(op -> op.path().equals(path));
            JsonNode post = doc.path("paths").path(path).path("post");
            assertThat(post.isMissingNode()).as("POST %s documented", path).isFalse();
            assertThat(post.path("responses").path("429").path("$ref").asText()).as("POST %s: 429", path)
                    .isEqualTo("#/components/responses/TooManyFailedAuthentications");
        }
        // The receiver is public: its callers are authenticated as the workflow's trigger says.
        JsonNode receive = doc.at("/paths/~1webhook~1{path}/post");
        assertThat(receive.path("security").isArray() && receive.path("security").isEmpty())
                .as("POST /webhook/{path} is public: needs security: []").isTrue();
        assertThat(receive.path("responses").path("401").path("$ref").asText()).as("its 401 is not the bearer one")
                .isEqualTo("#/components/responses/WebhookUnauthorized");
        // The test run answers with execution data: members of the workflow's organization only.
        JsonNode test = doc.at("/paths/~1webhook-test~1{path}/post");
        assertThat(effectiveSecurityNames(test)).as("POST /webhook-test/{path} needs a token or the console session")
                .containsExactly("bearerAuth", "sessionCookie");
        assertThat(test.path("responses").path("401").path("$ref").asText())
                .isEqualTo("#/components/responses/Unauthorized");
        assertThat(test.path("responses").path("404").path("$ref").asText())
                .isEqualTo("#/components/responses/WebhookTestNotFound");
        assertThat(test.has("parameters")).as("no key or signature headers: a member needs none").isFalse();

        assertThat(statuses("post", "/webhook/{path}")).contains("202", "400", "401", "404", "413", "415", "429", "503")
                .doesNotContain("200");
        assertThat(statuses("post", "/webhook-test/{path}")).contains("200", "400", "401", "404", "413", "415", "429",
                "503");
        assertThat(doc.at("/components/responses/WebhookUnavailable/content/application~1problem+json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/Problem");
        assertThat(propertyNames(schema("WebhookAccepted"))).containsExactlyInAnyOrder("executionIds", "duplicate");
        assertThat(schema("WebhookTestResult").at("/properties/executions/items/$ref").asText())
                .isEqualTo("#/components/schemas/Execution");
    }

    @Test
    void globalSecurityIsTheBearerTokenOrTheSessionCookie() {
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearerAuth");
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        JsonNode global = doc.path("security");
        assertThat(global.isArray()).isTrue();
        assertThat(global).hasSize(2);
        assertThat(global.get(0).has("bearerAuth")).isTrue();
        assertThat(global.get(0).path("bearerAuth").isArray()).isTrue();
        assertThat(global.get(1).path("sessionCookie").isArray()).as("either one: two requirements").isTrue();
        JsonNode cookie = doc.path("components").path("securitySchemes").path("sessionCookie");
        assertThat(cookie.path("type").asText()).isEqualTo("apiKey");
        assertThat(cookie.path("in").asText()).isEqualTo("cookie");
        assertThat(cookie.path("name").asText()).isEqualTo(SessionCookie.NAME);
    }

    @Test
    void publicOperationsOptOutOfSecurityAndAllOthersRequireTheBearerToken() {
        Set<String> publicOps = new TreeSet<>();
        for (Operation op : operations.values()) {
            JsonNode documented = op.in(doc);
            if (op.isPublic()) {
                publicOps.add(op.key());
                assertThat(documented.has("security")).as("%s is @PermitAll: needs security: []", op.key()).isTrue();
                assertThat(documented.path("security").isArray() && documented.path("security").isEmpty())
                        .as("%s is @PermitAll: needs security: []", op.key()).isTrue();
                if (op.key().equals("POST /v1/session")) {
                    assertThat(documented.path("responses").path("401").path("$ref").asText())
                            .as("signing in answers wrong credentials 401").isEqualTo("#/components/responses/SignInFailed");
                } else {
                    assertThat(documented.path("responses").has("401")).as("%s is public: no 401", op.key()).isFalse();
                }
            } else {
                assertThat(effectiveSecurityNames(documented)).as("%s must require the bearer token or the session",
                        op.key()).containsExactly("bearerAuth", "sessionCookie");
                assertThat(documented.path("responses").path("401").path("$ref").asText())
                        .as("%s answers 401 without a token", op.key()).isEqualTo("#/components/responses/Unauthorized");
                assertThat(documented.path("responses").path("429").path("$ref").asText())
                        .as("%s answers 429 to wrong tokens past the limit", op.key())
                        .isEqualTo("#/components/responses/TooManyFailedAuthentications");
            }
        }
        assertThat(publicOps).containsExactlyInAnyOrder("GET /v1/health", "GET /v1/health/live", "GET /v1/openapi.json",
                "POST /v1/session", "DELETE /v1/session", "GET /v1/session/oidc", "GET /v1/session/oidc/start",
                "GET /v1/session/oidc/callback", "GET /v1/password-reset", "POST /v1/password-reset",
                "POST /v1/password-reset/request");
    }

    @Test
    void operationsThatTakeABearerTokenWhenSentSayItIsOptional() {
        Set<String> optional = new TreeSet<>();
        for (Operation op : operations.values()) {
            JsonNode security = op.in(doc).path("security");
            boolean documentedOptional = security.isArray() && security.size() == 3 && security.get(0).isObject()
                    && security.get(0).isEmpty() && security.get(1).path("bearerAuth").isArray()
                    && security.get(2).path("sessionCookie").isArray();
            boolean anonymousAllowed = false;
            for (JsonNode requirement : security) {
                anonymousAllowed |= requirement.isObject() && requirement.isEmpty();
            }
            if (op.javaMethod().isAnnotationPresent(BearerOptional.class)) {
                optional.add(op.key());
                assertThat(documentedOptional).as("%s: security [{}, {bearerAuth: []}, {sessionCookie: []}]", op.key())
                        .isTrue();
            } else {
                assertThat(anonymousAllowed && !op.isPublic()).as("%s: anonymous only where the code allows", op.key())
                        .isFalse();
            }
        }
        assertThat(optional).containsExactly("POST /v1/invitations/accept");
    }

    /** The security requirement names that apply to an operation (its own, else the global ones). */
    private static List<String> effectiveSecurityNames(JsonNode operation) {
        JsonNode security = operation.has("security") ? operation.get("security") : doc.path("security");
        List<String> names = new ArrayList<>();
        security.forEach(requirement -> requirement.fieldNames().forEachRemaining(names::add));
        return names;
    }

    @Test
    void pathParametersMatchTheTemplatesAndTheJavaParameters() {
        Pattern template = Pattern.compile("\\{([^}]+)}");
        for (Operation op : operations.values()) {
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = template.matcher(op.path());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> inJava = Arrays.stream(op.javaMethod().getParameters())
                    .filter(p -> p.isAnnotationPresent(PathParam.class))
                    .map(p -> p.getAnnotation(PathParam.class).value()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(inJava).as("%s: @PathParam names", op.key()).isSubsetOf(inTemplate);

            Set<String> documented = new TreeSet<>();
            List<JsonNode> params = new ArrayList<>();
            doc.path("paths").path(op.path()).path("parameters").forEach(params::add);
            op.in(doc).path("parameters").forEach(params::add);
            for (JsonNode p : params) {
                JsonNode resolved = resolve(p);
                if ("path".equals(resolved.path("in").asText())) {
                    assertThat(resolved.path("required").asBoolean()).as("%s: path parameter required", op.key())
                            .isTrue();
                    documented.add(resolved.path("name").asText());
                }
            }
            assertThat(documented).as("%s: documented path parameters", op.key()).isEqualTo(inTemplate);
        }
    }

    @Test
    void requestBodiesAreDocumentedExactlyWhereTheCodeReadsOne() {
        for (Operation op : operations.values()) {
            boolean readsBody = Arrays.stream(op.javaMethod().getParameters()).anyMatch(OpenApiDocumentTest::isEntity);
            JsonNode documented = op.in(doc);
            assertThat(documented.has("requestBody")).as("%s: requestBody", op.key()).isEqualTo(readsBody);
            if (readsBody) {
                JsonNode body = resolve(documented.path("requestBody"));
                assertThat(body.path("required").asBoolean()).as("%s: an empty body is a 400", op.key()).isTrue();
                assertThat(body.path("content").has("application/json")).as("%s: JSON body", op.key()).isTrue();
                // JsonProvider answers these before the method runs.
                assertThat(documented.path("responses").path("400").path("$ref").asText()).as("%s: 400", op.key())
                        .isEqualTo("#/components/responses/InvalidRequest");
                assertThat(documented.path("responses").path("413").path("$ref").asText()).as("%s: 413", op.key())
                        .isEqualTo("#/components/responses/PayloadTooLarge");
                // The mapper rejects unknown fields everywhere.
                JsonNode schema = resolve(body.path("content").path("application/json").path("schema"));
                assertThat(schema.path("additionalProperties").isBoolean()
                        && !schema.path("additionalProperties").asBoolean())
                        .as("%s: additionalProperties false", op.key()).isTrue();
            }
        }
    }

    private static boolean isEntity(Parameter p) {
        for (Class<? extends Annotation> a : List.of(Context.class, PathParam.class, QueryParam.class,
                HeaderParam.class, CookieParam.class, MatrixParam.class, FormParam.class, BeanParam.class)) {
            if (p.isAnnotationPresent(a)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void statusCodesOfTheOperations() {
        assertThat(statuses("post", "/v1/tokens")).contains("201").doesNotContain("200");
        assertThat(statuses("post", "/v1/organizations")).contains("201").doesNotContain("200");
        assertThat(statuses("post", "/v1/organizations/{orgId}/members")).contains("201", "403", "409", "422")
                .doesNotContain("200");
        assertThat(statuses("post", "/v1/invitations/accept")).contains("200", "401", "403", "404", "409", "422");
        assertThat(statuses("post", "/v1/invitations/{id}/accept")).contains("200", "404", "409");
        assertThat(statuses("post", "/v1/invitations/{id}/decline")).contains("204", "404", "409");
        assertThat(statuses("delete", "/v1/organizations/{orgId}/invitations/{id}")).contains("204", "403", "404", "409");
        assertThat(statuses("get", "/v1/organizations/{orgId}/invitations")).contains("200", "403", "404");
        assertThat(statuses("delete", "/v1/tokens/{id}")).contains("204", "404");
        assertThat(statuses("delete", "/v1/organizations/{orgId}/members/{userId}")).contains("204", "403", "404");
        assertThat(statuses("patch", "/v1/organizations/{orgId}/members/{userId}")).contains("200", "409", "422");
        assertThat(statuses("get", "/v1/health")).containsExactlyInAnyOrder("200", "503");
        assertThat(statuses("post", "/v1/session")).contains("200", "401", "422", "429");
        assertThat(statuses("delete", "/v1/session")).containsExactlyInAnyOrder("204", "403");
        assertThat(statuses("put", "/v1/me/password")).contains("204", "401", "422").doesNotContain("200");
        assertThat(statuses("get", "/v1/cluster/nodes")).containsExactlyInAnyOrder("200", "401", "403", "429");
        assertThat(statuses("get", "/v1/organizations/{orgId}/options/{source}"))
                .containsExactlyInAnyOrder("200", "401", "404", "429");
        assertThat(doc.at("/paths/~1v1~1tokens/post/responses/201/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/NewToken");
        assertThat(doc.at("/paths/~1v1~1organizations~1{orgId}~1members/post/responses/201/content/application~1json"
                + "/schema/$ref").asText()).isEqualTo("#/components/schemas/NewInvitation");
        assertThat(doc.at("/paths/~1v1~1invitations~1accept/post/responses/200/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/AcceptedInvitation");
    }

    private static Set<String> statuses(String method, String path) {
        Set<String> codes = new TreeSet<>();
        doc.path("paths").path(path).path(method).path("responses").fieldNames().forEachRemaining(codes::add);
        return codes;
    }

    @Test
    void errorResponsesAreProblemDetails() {
        JsonNode responses = doc.path("components").path("responses");
        for (String name : List.of("InvalidRequest", "Unauthorized", "TooManyFailedAuthentications", "Forbidden",
                "NotFound", "Conflict", "PayloadTooLarge", "ValidationFailed", "WebhookTestNotFound")) {
            assertThat(responses.path(name).path("content").path("application/problem+json").path("schema")
                    .path("$ref").asText()).as(name).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(responses.at("/TooManyFailedAuthentications/headers/Retry-After/schema/type").asText())
                .isEqualTo("integer");
        JsonNode problem = schema("Problem");
        assertThat(propertyNames(problem)).containsExactlyInAnyOrder("type", "title", "status", "detail", "errors");
        assertThat(problem.path("properties").path("errors").path("items").path("$ref").asText())
                .isEqualTo("#/components/schemas/FieldError");
        assertThat(propertyNames(schema("FieldError"))).containsExactlyInAnyOrder("field", "message");
        // Every error status an operation names is a problem.
        for (Operation op : operations.values()) {
            op.in(doc).path("responses").fields().forEachRemaining(r -> {
                if (r.getKey().startsWith("4") || (r.getKey().startsWith("5") && !"503".equals(r.getKey()))) {
                    assertThat(resolve(r.getValue()).path("content").has("application/problem+json"))
                            .as("%s %s", op.key(), r.getKey()).isTrue();
                }
            });
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("dangling %s", ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if ("$ref".equals(e.getKey())) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    @Test
    void responseSchemasHaveTheFieldsOfTheRecordsServed() {
        assertRecord("Organization", Organization.class);
        assertRecord("Member", Member.class);
        assertRecord("ApiToken", ApiToken.class);
        assertRecord("NewToken", Dto.NewToken.class);
        assertRecord("Invitation", Invitation.class);
        assertRecord("NewInvitation", Dto.NewInvitation.class);
        assertRecord("AcceptedInvitation", Dto.AcceptedInvitationBody.class);
        assertRecord("TypeDescriptor", TypeDescriptor.class);
        assertThat(schema("SettingsPage").at("/allOf/0/$ref").asText())
                .isEqualTo("#/components/schemas/SettingsDescriptor");
        assertRecord("SettingsDescriptor", com.dooneflow.api.spi.SettingsDescriptor.class);
        assertRecord("SettingsAction", com.dooneflow.api.spi.SettingsDescriptor.Action.class);
        assertThat(schema("ConnectorType").at("/allOf/0/$ref").asText()).isEqualTo("#/components/schemas/TypeDescriptor");
        assertThat(propertyNames(schema("ConnectorType").at("/allOf/1"))).as("what a type's status adds")
                .containsExactlyInAnyOrder("running", "bundle", "problem");
        assertRecord("ParameterDescriptor", ParameterDescriptor.class);
        assertRecord("OutputDescriptor", OutputDescriptor.class);
        assertRecord("Option", OptionSource.Option.class);
        assertRecord("OptionList", Dto.Items.class);
        assertThat(schema("OptionList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Option");
        assertThat(schema("TypeDescriptor").at("/properties/outputs/items/$ref").asText())
                .isEqualTo("#/components/schemas/OutputDescriptor");
        for (String list : List.of("OrganizationList", "MemberList", "ApiTokenList", "InvitationList")) {
            assertRecord(list, Dto.Items.class);
        }
        assertThat(schema("InvitationList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Invitation");
        assertThat(propertyNames(schema("Me"))).containsExactlyInAnyOrder("id", "email", "createdAt", "tokenId",
                "tokenOrganizationId", "organizations", "installationAdmin", "passwordSet", "csrfToken",
                "publicUrl");
        assertRecord("Session", Dto.SessionBody.class);
        assertRecord("User", com.dooneflow.api.User.class);
        assertThat(propertyNames(schema("Connectors"))).containsExactlyInAnyOrder("triggers", "actions", "settings", "errors");
        assertThat(propertyNames(schema("Health"))).contains("status", "checks", "database", "node", "roles", "claiming");
        assertRecord("ClusterNode", ClusterNode.class);
        assertRecord("ClusterNodeList", Dto.Items.class);
        assertThat(schema("ClusterNodeList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/ClusterNode");
        assertThat(textValues(schema("ClusterNode").at("/properties/roles/items/enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(NodeRole.class));
        assertRecord("Workflow", Workflow.class);
        assertRecord("StepSpec", StepSpec.class);
        assertRecord("RetryPolicy", RetryPolicy.class);
        assertRecord("Execution", Execution.class);
        assertRecord("StepRun", StepRun.class);
        assertRecord("Event", Event.class);
        // Page<T>: the generic page of the workflow, execution and event lists.
        for (String list : List.of("WorkflowList", "ExecutionList", "EventList")) {
            assertRecord(list, Page.class);
        }
        assertThat(schema("WorkflowList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Workflow");
        assertThat(schema("ExecutionList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Execution");
        assertThat(schema("EventList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/Event");
        // Map<String, String> of POST .../webhook-key: the vault field names.
        assertThat(propertyNames(schema("WebhookKey"))).containsExactlyInAnyOrder(WorkflowSecrets.WEBHOOK_KEY,
                WorkflowSecrets.SIGNING_SECRET, "previousKeyExpiresAt");
        assertThat(propertyNames(schema("WebhookKeyStatus"))).containsExactlyInAnyOrder("webhookKeySet",
                "previousKeyExpiresAt");
        assertRecord("AuditEntry", com.dooneflow.api.audit.AuditEntry.class);
        assertRecord("AuditEntryList", Page.class);
        assertThat(schema("AuditEntryList").at("/properties/items/items/$ref").asText())
                .isEqualTo("#/components/schemas/AuditEntry");
        // Map<String, Object> params: free-form objects.
        assertThat(schema("StepSpec").at("/properties/params/type").asText()).isEqualTo("object");
    }

    @Test
    void requestSchemasHaveTheFieldsOfTheBodiesRead() {
        assertRecord("OrganizationNameRequest", Dto.NameBody.class);
        assertRecord("CreateTokenRequest", Dto.NameBody.class);
        assertRecord("AddMemberRequest", Dto.AddMemberBody.class);
        assertRecord("ChangeRoleRequest", Dto.RoleBody.class);
        assertRecord("AcceptInvitationRequest", Dto.AcceptInvitationBody.class);
        assertRecord("SignInRequest", Dto.SignInBody.class);
        assertRecord("SetPasswordRequest", Dto.PasswordBody.class);
        assertThat(textValues(schema("SignInRequest").path("required"))).containsExactlyInAnyOrder("email", "password");
        assertThat(textValues(schema("AcceptInvitationRequest").path("required"))).containsExactly("token");
        assertThat(textValues(schema("AddMemberRequest").path("required"))).containsExactlyInAnyOrder("email", "role");
        assertThat(textValues(schema("ChangeRoleRequest").path("required"))).containsExactly("role");
        assertThat(textValues(schema("OrganizationNameRequest").path("required"))).containsExactly("name");
        assertRecord("WorkflowDefinition", WorkflowDefinition.class);
        assertRecord("WorkflowUpdateRequest", WorkflowDefinition.class);
        assertThat(textValues(schema("WorkflowDefinition").path("required"))).containsExactlyInAnyOrder("name",
                "trigger", "actions");
        assertThat(schema("WorkflowUpdateRequest").has("required")).as("PATCH: every field optional").isFalse();
        for (String s : List.of("StepSpec", "RetryPolicy")) {
            assertThat(schema(s).path("additionalProperties").isBoolean()
                    && !schema(s).path("additionalProperties").asBoolean()).as("%s: additionalProperties false", s)
                    .isTrue();
        }
    }

    private static void assertRecord(String schemaName, Class<?> record) {
        Set<String> components = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toSet());
        assertThat(propertyNames(schema(schemaName))).as("properties of %s vs %s", schemaName, record.getName())
                .containsExactlyInAnyOrderElementsOf(components);
    }

    @Test
    void enumsAreTheLowerCaseJavaConstants() {
        assertThat(textValues(schema("Role").path("enum"))).containsExactlyInAnyOrderElementsOf(lowerCase(Role.class));
        assertThat(textValues(schema("TypeDescriptor").path("properties").path("kind").path("enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(TypeDescriptor.Kind.class));
        assertThat(textValues(schema("ParameterDescriptor").path("properties").path("type").path("enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(ParameterType.class));
        assertThat(textValues(schema("OutputDescriptor").path("properties").path("type").path("enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(OutputDescriptor.Type.class));
        assertThat(textValues(schema("ExecutionStatus").path("enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(ExecutionStatus.class));
        assertThat(schema("Execution").at("/properties/status/$ref").asText())
                .isEqualTo("#/components/schemas/ExecutionStatus");
        assertThat(textValues(schema("Event").path("properties").path("level").path("enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(Event.Level.class));
        assertThat(textValues(schema("InvitationStatus").path("enum")))
                .containsExactlyInAnyOrderElementsOf(lowerCase(InvitationStatus.class));
        assertThat(schema("Invitation").at("/properties/status/$ref").asText())
                .isEqualTo("#/components/schemas/InvitationStatus");
        for (String s : List.of("Organization", "Member", "Invitation", "AddMemberRequest", "ChangeRoleRequest")) {
            assertThat(schema(s).path("properties").path("role").path("$ref").asText()).as(s)
                    .isEqualTo("#/components/schemas/Role");
        }
    }

    private static List<String> lowerCase(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    }

    @Test
    void nullableFieldsAreDeclaredNullable() {
        // Jackson writes nulls: these are null in real answers.
        assertThat(textValues(schema("ApiToken").path("properties").path("organizationId").path("type")))
                .contains("null");
        assertThat(textValues(schema("ApiToken").path("properties").path("lastUsedAt").path("type"))).contains("null");
        JsonNode acceptedToken = schema("AcceptedInvitation").path("properties").path("token").path("oneOf");
        assertThat(acceptedToken.findValuesAsText("$ref")).containsExactly("#/components/schemas/NewToken");
        assertThat(acceptedToken.findValuesAsText("type")).containsExactly("null");
        assertThat(textValues(schema("Me").path("properties").path("tokenOrganizationId").path("type")))
                .contains("null");
        for (String list : List.of("OrganizationList", "MemberList", "ApiTokenList", "InvitationList", "WorkflowList",
                "ExecutionList", "EventList", "OptionList")) {
            assertThat(textValues(schema(list).path("properties").path("nextCursor").path("type"))).as(list)
                    .contains("null");
        }
        // Null in lists, filled for one execution.
        assertThat(textValues(schema("Execution").path("properties").path("steps").path("type"))).contains("null");
        for (String field : List.of("waitingFor", "error", "nextAttemptAt", "startedAt", "finishedAt")) {
            assertThat(textValues(schema("Execution").path("properties").path(field).path("type"))).as(field)
                    .contains("null");
        }
    }

    private static JsonNode schema(String name) {
        JsonNode s = doc.path("components").path("schemas").path(name);
        assertThat(s.isMissingNode()).as("schema %s", name).isFalse();
        return s;
    }

    private static Set<String> propertyNames(JsonNode schema) {
        Set<String> names = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> textValues(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        }
        node.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            current = doc.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }
}
