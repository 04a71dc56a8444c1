package com.dooneflow.connector.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.ValidationException;
import com.dooneflow.testing.Callers;

/** The list's pages, the callback's answers to browsers (HTML) and API clients (JSON), and the console listing. */
class SalesforceConnectionResourceTest {

    private final SalesforceFake fake = SalesforceFake.start();
    private final Rig rig = new Rig();
    private final FakeWorkflows workflows = new FakeWorkflows();
    private final SalesforceConnectionResource resource = new SalesforceConnectionResource(rig.connections, workflows);

    @AfterEach
    void close() throws Exception {
        rig.close();
        fake.close();
    }

    @Test
    void aBrowserGetsAnHtmlPageAndAnApiClientJson() throws Exception {
        String id = rig.create("Prod <b>", "production", fake);
        Map<String, String> q = SalesforceFake.form(URI.create(fake.approve(
                rig.connections.connect(Fakes.OWNER, Fakes.ORG, id))).getRawQuery());

        Response page = resource.callback(Fakes.ORG, q.get("state"), q.get("code"), null, null,
                accepting("text/html,application/xhtml+xml,*/*;q=0.8"));
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getMediaType().toString()).startsWith("text/html");
        assertThat(page.getEntity().toString()).contains("Salesforce connected").contains("Prod &lt;b&gt;")
                .doesNotContain("<b>").contains("href=\"/organizations/" + Fakes.ORG + "/integrations\"");

        Response replay = resource.callback(Fakes.ORG, q.get("state"), q.get("code"), null, null,
                accepting("application/json"));
        assertThat(replay.getStatus()).isEqualTo(400);
        assertThat(replay.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(Json.MAPPER.readTree(replay.getEntity().toString()).path("detail").asText()).contains("already used");
    }

    @Test
    void theHtmlPagesCarryTheWebConsolesSecurityHeaders() throws Exception {
        String id = rig.create("Production", "production", fake);
        Map<String, String> q = SalesforceFake.form(URI.create(fake.approve(
                rig.connections.connect(Fakes.OWNER, Fakes.ORG, id))).getRawQuery());
        HttpHeaders browser = accepting("text/html");

        Response connected = resource.callback(Fakes.ORG, q.get("state"), q.get("code"), null, null, browser);
        Response failed = resource.callback(Fakes.ORG, "unknown-state", "code", null, null, browser);
        assertThat(connected.getStatus()).isEqualTo(200);
        assertThat(failed.getStatus()).isEqualTo(400);
        for (Response page : List.of(connected, failed)) {
            assertThat(page.getHeaderString("Content-Security-Policy")).isEqualTo("default-src 'self'; "
                    + "script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
            assertThat(page.getHeaderString("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.getHeaderString("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.getHeaderString("Referrer-Policy")).isEqualTo("no-referrer");
            // The policy forbids inline script and style, so the page must hold none.
            assertThat(page.getEntity().toString()).doesNotContain("<script", "<style", "style=")
                    .doesNotContainPattern("\\son[a-z]+=");
        }
    }

    @Test
    void workflowsNamingARenamedConnectionFollowTheRename() {
        String prod = rig.create("Production", "production", fake);
        rig.create("Sandbox", "sandbox", fake);
        StepSpec toProd = new StepSpec(WriteRecordAction.TYPE, Map.of("connection", "Production", "object", "Lead"), null);
        StepSpec toSandbox = new StepSpec(WriteRecordAction.TYPE, Map.of("connection", "Sandbox", "object", "Lead"), null);
        StepSpec call = new StepSpec("webhook.call", Map.of("url", "https://example.com/Production"), null);
        String both = workflows.add("leads", toProd, call, toProd);
        String other = workflows.add("sandbox leads", toSandbox);
        workflows.add("calls only", call);
        String stuck = workflows.add("stuck", toProd, new StepSpec(FakeWorkflows.NOT_INSTALLED, Map.of(), null));

        Map<String, Object> answer = resource.update(Callers.as(Fakes.OWNER), Fakes.ORG, prod,
                new ConnectionBody("Production EU", null, null, null, null, null));

        assertThat(answer).containsEntry("name", "Production EU")
                .containsEntry("workflowsUpdated", List.of(Map.of("id", both, "name", "leads")));
        assertThat(workflows.byId.get(both).actions()).extracting(a -> a.params().get("connection"))
                .containsExactly("Production EU", null, "Production EU");
        assertThat(workflows.byId.get(both).actions().get(1)).as("other actions untouched").isEqualTo(call);
        assertThat(workflows.byId.get(both).version()).isEqualTo(2);
        assertThat(workflows.byId.get(other).version()).as("another connection's workflow").isEqualTo(1);
        // A workflow that cannot be saved right now is named with the reason; the rename itself stands.
        assertThat(answer.get("workflowsNotUpdated")).isEqualTo(List.of(Map.of("id", stuck, "name", "stuck",
                "reason", "actions[1].type: unknown action type " + FakeWorkflows.NOT_INSTALLED)));
        assertThat(workflows.byId.get(stuck).version()).isEqualTo(1);

        Map<String, Object> unchanged = resource.update(Callers.as(Fakes.OWNER), Fakes.ORG, prod,
                new ConnectionBody(null, null, null, null, null, "https://flows.example.com/elsewhere"));
        assertThat(unchanged).as("no rename, no workflow work").doesNotContainKey("workflowsUpdated");
    }

    @Test
    void theListAnswersAPageWithItsNextCursorAndRefusesABadLimit() {
        for (String name : List.of("Charlie", "Alpha", "Bravo")) {
            rig.create(name, "production", fake);
        }
        Map<String, Object> first = resource.list(Callers.as(Fakes.MEMBER), Fakes.ORG, "2", null);
        assertThat(first).containsOnlyKeys("items", "nextCursor");
        assertThat(names(first)).containsExactly("Alpha", "Bravo");
        Map<String, Object> last = resource.list(Callers.as(Fakes.MEMBER), Fakes.ORG, "2", (String) first.get("nextCursor"));
        assertThat(names(last)).containsExactly("Charlie");
        assertThat(last).containsEntry("nextCursor", null);
        assertThat(names(resource.list(Callers.as(Fakes.MEMBER), Fakes.ORG, null, null))).hasSize(3);
        for (String bad : List.of("501", "abc")) {
            assertThatThrownBy(() -> resource.list(Callers.as(Fakes.OWNER), Fakes.ORG, bad, null))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::field).containsExactly("limit"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Map<String, Object> page) {
        return Fakes.names((List<Map<String, Object>>) page.get("items"));
    }

    @Test
    void theConsoleListsConnectionsWithTheirStatus() throws Exception {
        rig.connected("Production", "production", fake);
        rig.create("Sandbox", "sandbox", fake);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SalesforceListCommand.print(rig.store.listAll(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Production").contains("connected").contains("Sandbox").contains("not_connected")
                .contains(fake.baseUrl()).contains(Fakes.ORG);
    }

    private static HttpHeaders accepting(String accept) {
        return (HttpHeaders) java.lang.reflect.Proxy.newProxyInstance(HttpHeaders.class.getClassLoader(),
                new Class<?>[] {HttpHeaders.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAcceptableMediaTypes")) {
                        return List.of(accept.split(",")).stream().map(MediaType::valueOf).toList();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
