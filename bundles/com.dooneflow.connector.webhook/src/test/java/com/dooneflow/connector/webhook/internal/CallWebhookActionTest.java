package com.dooneflow.connector.webhook.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.testing.StepContext;
import com.dooneflow.testing.outbound.TestOutboundHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The action against a real HTTP server (WireMock) on loopback, which the tests allow-list explicitly. */
class CallWebhookActionTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1")).build();

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String KEY = "exec-1:0";

    private TestOutboundHttp http;
    private CallWebhookAction action = action("127.0.0.1/32");

    /** The action on the distribution's HTTP client, in an installation that allow-lists {@code allowlist}. */
    private CallWebhookAction action(String allowlist) {
        http = TestOutboundHttp.allowing(allowlist);
        return new CallWebhookAction(http, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        http.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    private ActionResult call(Map<String, Object> params) {
        return action.execute(new StepContext("org-1", "exec-1", 0, 1, params, Map.of()));
    }

    private static Map<String, Object> params(Object... pairs) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put((String) pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void describesItsParameters() {
        assertThat(TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE).type()).isEqualTo("webhook.call");
        assertThat(TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE).parameters()).extracting(ParameterDescriptor::name)
                .containsExactly("url", "method", "headers", "payload", "timeoutSeconds", "signingSecret");
        assertThat(TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE).parameters().get(5).secret()).isTrue();
        assertThat(TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE).parameters().get(0).templatable()).isTrue();
    }

    @Test
    void itsParameterRecordFitsItsDescriptor() {
        TypeFiles.checkBinding(TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE),
                CallWebhookAction.Params.class);
    }

    @Test
    void deliversTheRenderedPayloadWithIdempotencyKeyAndJsonContentType() {
        server.stubFor(post("/hooks/orders").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"received\": true, \"id\": 42}")));
        ActionResult result = call(params("url", url("/hooks/orders"),
                "payload", Map.of("name", "Ann", "items", List.of(1, 2), "vip", true),
                "headers", Map.of("X-Tenant", "acme")));

        assertThat(result).isInstanceOfSatisfying(ActionResult.Ok.class, ok -> assertThat(ok.outputs())
                .containsEntry("status", 200).containsEntry("body", "{\"received\": true, \"id\": 42}")
                .containsEntry("bodyTruncated", false)
                .containsEntry("body_json", Map.of("received", true, "id", 42)));
        // What later steps may use is what the descriptor declares: a JSON answer fills every output.
        assertThat(((ActionResult.Ok) result).outputs().keySet()).containsExactlyInAnyOrderElementsOf(
                TypeFiles.read(CallWebhookAction.class, CallWebhookAction.TYPE).outputs().stream().map(OutputDescriptor::name).toList());
        server.verify(1, postRequestedFor(urlEqualTo("/hooks/orders"))
                .withHeader("Idempotency-Key", equalTo(KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("DooneFlow"))
                .withHeader("X-Tenant", equalTo("acme"))
                .withRequestBody(equalToJson("{\"name\": \"Ann\", \"items\": [1, 2], \"vip\": true}")));
    }

    @Test
    void getWithoutPayloadSendsNoBodyAndLongBodiesAreTruncated() {
        server.stubFor(get("/status").willReturn(aResponse().withStatus(200).withBody("x".repeat(5000))));
        ActionResult result = call(params("url", url("/status"), "method", "get"));
        assertThat(result).isInstanceOfSatisfying(ActionResult.Ok.class, ok -> {
            assertThat((String) ok.outputs().get("body")).hasSize(4096);
            assertThat(ok.outputs()).containsEntry("bodyTruncated", true).doesNotContainKey("body_json");
        });
        LoggedRequest request = server.findAll(getRequestedFor(urlEqualTo("/status"))).get(0);
        assertThat(request.getBodyAsString()).isEmpty();
        assertThat(request.containsHeader("Content-Type")).isFalse();
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo(KEY);
    }

    @Test
    void aJsonAnswerOverTheReceiversLimitsIsKeptAsTextOnly() {
        String deep = "[".repeat(65) + "]".repeat(65);
        server.stubFor(get("/deep").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(deep)));
        ActionResult result = call(params("url", url("/deep"), "method", "get"));
        assertThat(result).isInstanceOfSatisfying(ActionResult.Ok.class, ok -> assertThat(ok.outputs())
                .containsEntry("body", deep).doesNotContainKey("body_json"));
    }

    @Test
    void serverErrorsAreRetriedUntilTheEndpointRecovers() {
        server.stubFor(put("/flaky").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        server.stubFor(put("/flaky").inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(put("/flaky").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withBody("created")));
        Map<String, Object> p = params("url", url("/flaky"), "method", "PUT", "payload", Map.of("a", 1));

        assertThat(call(p)).isInstanceOfSatisfying(ActionResult.Retry.class, r -> {
            assertThat(r.reason()).contains("503");
            assertThat(r.after()).isNull();
        });
        assertThat(call(p)).isInstanceOf(ActionResult.Retry.class);
        assertThat(call(p)).isInstanceOfSatisfying(ActionResult.Ok.class,
                ok -> assertThat(ok.outputs()).containsEntry("status", 201).containsEntry("body", "created"));
        // The same idempotency key on every attempt, so the endpoint can tell a retry from a new event.
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(3)
                .allSatisfy(r -> assertThat(r.getHeader("Idempotency-Key")).isEqualTo(KEY));
    }

    @Test
    void retryAfterIsHonoured() {
        server.stubFor(post("/busy").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
        assertThat(call(params("url", url("/busy")))).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(7)));

        server.stubFor(post("/later").willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "Sat, 01 Mar 2025 10:02:00 GMT")));
        assertThat(call(params("url", url("/later")))).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofMinutes(2)));

        server.stubFor(post("/timeout").willReturn(aResponse().withStatus(408)));
        assertThat(call(params("url", url("/timeout")))).isInstanceOf(ActionResult.Retry.class);
        server.stubFor(post("/early").willReturn(aResponse().withStatus(425)));
        assertThat(call(params("url", url("/early")))).isInstanceOf(ActionResult.Retry.class);
    }

    @Test
    void redirectsAreNotFollowed() {
        server.stubFor(post("/moved").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/")));
        assertThat(call(params("url", url("/moved"), "payload", Map.of("a", 1))))
                .isInstanceOfSatisfying(ActionResult.Fail.class, f -> assertThat(f.reason()).isEqualTo(
                        "the endpoint redirected to http://169.254.169.254/latest/meta-data/; redirects are not followed"));
        server.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void clientErrorsFailWithTheStatusAndAnExcerpt() {
        server.stubFor(post("/gone").willReturn(aResponse().withStatus(404).withBody("no such hook")));
        assertThat(call(params("url", url("/gone")))).isInstanceOfSatisfying(ActionResult.Fail.class, f -> {
            assertThat(f.reason()).isEqualTo("the endpoint answered 404: no such hook");
            assertThat(f.details()).containsEntry("status", 404);
        });
        server.stubFor(post("/long").willReturn(aResponse().withStatus(400).withBody("e".repeat(1000))));
        assertThat(call(params("url", url("/long")))).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).hasSizeLessThan(250).endsWith("..."));
    }

    @Test
    void connectionTroubleIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(call(params("url", "http://127.0.0.1:" + closedPort + "/x")))
                .isInstanceOfSatisfying(ActionResult.Retry.class, r -> assertThat(r.reason()).contains("127.0.0.1"));

        server.stubFor(post("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(call(params("url", url("/reset")))).isInstanceOf(ActionResult.Retry.class);
        server.stubFor(post("/garbage").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        assertThat(call(params("url", url("/garbage")))).isInstanceOf(ActionResult.Retry.class);
    }

    @Test
    void tlsCertificatesAreVerified() {
        // WireMock's self-signed certificate is trusted by nobody: a permanent failure, not a retry.
        server.stubFor(post("/tls").willReturn(aResponse().withStatus(200)));
        String url = "https://127.0.0.1:" + server.getRuntimeInfo().getHttpsPort() + "/tls";
        assertThat(call(params("url", url))).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).startsWith("TLS with 127.0.0.1 failed"));
        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aSlowEndpointTimesOutAndIsRetried() {
        server.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        long start = System.nanoTime();
        assertThat(call(params("url", url("/slow"), "timeoutSeconds", 1)))
                .isInstanceOfSatisfying(ActionResult.Retry.class, r -> assertThat(r.reason()).contains("1 s"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void theEngineCanStopACallThatWaitsForItsAnswer() throws Exception {
        server.stubFor(post("/stuck").willReturn(aResponse().withStatus(200).withFixedDelay(30_000)));
        CompletableFuture<Runnable> stop = new CompletableFuture<>();
        StepContext step = new StepContext("org-1", "exec-1", 0, 1, params("url", url("/stuck"), "timeoutSeconds", 60),
                Map.of());
        ActionContext ctx = new ActionContext() {
            public String organizationId() { return step.organizationId(); }
            public String executionId() { return step.executionId(); }
            public int stepIndex() { return step.stepIndex(); }
            public int attempt() { return step.attempt(); }
            public String idempotencyKey() { return step.idempotencyKey(); }
            public Map<String, Object> params() { return step.params(); }
            public Map<String, Object> variables() { return step.variables(); }
            public void onStop(Runnable r) { stop.complete(r); }
        };
        CompletableFuture<ActionResult> result =
                CompletableFuture.supplyAsync(() -> action.execute(ctx));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !server.findAll(postRequestedFor(urlEqualTo("/stuck"))).isEmpty());

        long start = System.nanoTime();
        stop.get().run();

        assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(ActionResult.Retry.class,
                r -> assertThat(r.reason()).isEqualTo("the call to 127.0.0.1 was stopped before an answer came "
                        + "(the execution was cancelled or ran out of time)"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(action.timeout(params("timeoutSeconds", 90))).isEqualTo(Duration.ofSeconds(95));
        assertThat(action.timeout(params())).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void privateAddressesNeedTheAllowlist() throws Exception {
        http.close();
        action = action("");
        server.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        assertThat(call(params("url", url("/hook")))).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).isEqualTo("127.0.0.1 resolves to 127.0.0.1, which is a private address; "
                        + "an administrator can allow it with DOONEFLOW_OUTBOUND_ALLOWLIST"));
        assertThat(call(params("url", "http://localhost:" + server.getPort() + "/hook")))
                .isInstanceOfSatisfying(ActionResult.Fail.class,
                        f -> assertThat(f.reason()).contains("is a private address"));
        // Counted by path: a delayed answer of an earlier test (/slow) may be logged by the server only now.
        server.verify(0, anyRequestedFor(urlEqualTo("/hook")));

        http.close();
        action = action("10.0.0.0/8, 127.0.0.1/32");
        assertThat(call(params("url", url("/hook")))).isInstanceOf(ActionResult.Ok.class);
        server.verify(1, anyRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void ipv6FormsOfAPrivateAddressAndUnclearIpv4HostsAreRefused() throws Exception {
        server.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        int port = server.getPort();
        http.close();
        action = action("");
        assertThat(call(params("url", "http://[::ffff:0:127.0.0.1]:" + port + "/hook")))
                .isInstanceOfSatisfying(ActionResult.Fail.class, f -> assertThat(f.reason())
                        .contains("an IPv4-translated address that leads to 127.0.0.1, which is a private address"));
        assertThat(call(params("url", "http://[64:ff9b::a9fe:a9fe]:" + port + "/hook")))
                .isInstanceOfSatisfying(ActionResult.Fail.class, f -> assertThat(f.reason())
                        .contains("a NAT64 address that leads to 169.254.169.254"));

        // Java reads these as 127.0.0.1, which the allow-list allows; they are refused for their unclear form.
        http.close();
        action = action("127.0.0.1/32");
        for (String host : new String[] {"2130706433", "0127.0.0.1", "127.1"}) {
            assertThat(call(params("url", "http://" + host + ":" + port + "/hook")))
                    .isInstanceOfSatisfying(ActionResult.Fail.class, f -> assertThat(f.reason())
                            .contains("'" + host + "' looks like an IPv4 address but is not written as four decimal"));
        }
        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void badParametersFailWithoutARequest() {
        assertThat(call(params())).isInstanceOfSatisfying(ActionResult.Fail.class,
                f -> assertThat(f.reason()).isEqualTo("url is required"));
        assertThat(call(params("url", "ftp://127.0.0.1/x"))).isInstanceOf(ActionResult.Fail.class);
        assertThat(call(params("url", url("/x"), "method", "TRACE"))).isInstanceOf(ActionResult.Fail.class);
        assertThat(call(params("url", url("/x"), "timeoutSeconds", 121))).isInstanceOf(ActionResult.Fail.class);
        assertThat(call(params("url", url("/x"), "timeoutSeconds", 0))).isInstanceOf(ActionResult.Fail.class);
        assertThat(call(params("url", url("/x"), "headers", Map.of("X-A", "1\r\nX-Injected: 1"))))
                .isInstanceOfSatisfying(ActionResult.Fail.class, f -> assertThat(f.reason()).contains("line break"));
        assertThat(call(params("url", url("/x"), "headers", Map.of("Bad Name", "1")))).isInstanceOf(ActionResult.Fail.class);
        assertThat(call(params("url", url("/x"), "headers", Map.of("Idempotency-Key", "mine"))))
                .isInstanceOf(ActionResult.Fail.class);
        assertThat(call(params("url", url("/x"), "signingSecret", "whsec_***"))).isInstanceOf(ActionResult.Fail.class);
        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void signsWithStandardWebhooksHeadersWhenASecretIsSet() {
        server.stubFor(post("/signed").willReturn(aResponse().withStatus(204)));
        assertThat(call(params("url", url("/signed"), "payload", Map.of("event", "order.created"),
                "signingSecret", StandardWebhooksTest.SECRET))).isInstanceOf(ActionResult.Ok.class);

        LoggedRequest r = server.findAll(postRequestedFor(urlEqualTo("/signed"))).get(0);
        assertThat(r.getHeader("webhook-id")).isEqualTo(KEY);
        assertThat(r.getHeader("webhook-timestamp")).isEqualTo(Long.toString(NOW.getEpochSecond()));
        assertThat(r.getHeader("webhook-signature")).startsWith("v1,");
        // What a receiver holding the same secret would check.
        assertThat(StandardWebhooks.verify(StandardWebhooksTest.SECRET, r.getHeader("webhook-id"),
                r.getHeader("webhook-timestamp"), r.getHeader("webhook-signature"), r.getBody(), NOW)).isNull();
        assertThat(StandardWebhooks.verify("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]),
                r.getHeader("webhook-id"), r.getHeader("webhook-timestamp"), r.getHeader("webhook-signature"),
                r.getBody(), NOW)).isNotNull();
    }

    /**
     * The engine percent-encodes variables rendered into a URL; the request line must carry them exactly so (a raw
     * socket reads it: WireMock's server refuses an encoded '/' in a path before a stub could see it).
     */
    @Test
    void anEncodedPathAndQueryReachTheServerAsEncoded() throws Exception {
        String path = "/hooks/..%2F..%2Fadmin%2Fdelete%3Fall%3D1%23/%2E%2E?q=a%26x%3D1";
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> requestLine = CompletableFuture.supplyAsync(() -> answer204(socket));

            ActionResult result = call(params("url", "http://127.0.0.1:" + socket.getLocalPort() + path));

            assertThat(requestLine.get(10, TimeUnit.SECONDS)).isEqualTo("POST " + path + " HTTP/1.1");
            assertThat(result).isInstanceOf(ActionResult.Ok.class);
        }
    }

    /** Accepts one request, answers 204 and returns its request line. */
    private static String answer204(ServerSocket socket) {
        try (Socket s = socket.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                // the headers are not looked at; the request has no body
            }
            s.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return requestLine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
