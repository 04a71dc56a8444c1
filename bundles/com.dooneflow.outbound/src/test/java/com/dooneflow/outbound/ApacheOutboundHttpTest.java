package com.dooneflow.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.outbound.OutboundGuard;
import com.dooneflow.api.outbound.OutboundHttp;
import com.dooneflow.api.outbound.OutboundRequest;
import com.dooneflow.api.outbound.OutboundResponse;
import com.dooneflow.api.outbound.OutboundTimeoutException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The client against a real HTTP server on loopback (the JDK's), which each test allow-lists or not. */
class ApacheOutboundHttpTest {

    /** One request as the server saw it. */
    record Seen(String method, String path, Map<String, List<String>> headers, String body, int clientPort) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-server");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;
    private ApacheOutboundHttp http = client("127.0.0.1/32");

    private static ApacheOutboundHttp client(String allowlist) {
        return new ApacheOutboundHttp(new OutboundGuard(allowlist));
    }

    /** Released when the test ends: the slow and dripping handlers pace themselves on it and then stop at once. */
    private final CountDownLatch testOver = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(), body,
                    ex.getRemoteAddress().getPort()));
            ex.getResponseHeaders().add("Content-Type", "text/plain; charset=ISO-8859-1");
            ex.getResponseHeaders().add("X-Answer", "42");
            reply(ex, 200, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        });
        server.createContext("/moved", ex -> {
            seen.add(new Seen(ex.getRequestMethod(), "/moved", ex.getRequestHeaders(), "", 0));
            ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            reply(ex, 302, new byte[0]);
        });
        server.createContext("/busy", ex -> {
            ex.getResponseHeaders().add("Retry-After", ex.getRequestURI().getQuery().replace("%20", " "));
            reply(ex, 503, new byte[0]);
        });
        server.createContext("/big", ex -> reply(ex, 200, new byte[2 * 1024 * 1024]));
        server.createContext("/slow", ex -> {
            pace(Duration.ofSeconds(30)); // the client gives up long before
            reply(ex, 200, new byte[0]);
        });
        server.createContext("/drip", ex -> { // headers at once, then a byte every 200 ms: each read is quick
            ex.sendResponseHeaders(200, 100);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('x');
                    out.flush();
                    pace(Duration.ofMillis(200));
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        http.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The server's own pace (it is slow on purpose), cut short when the test is over. */
    private void pace(Duration d) {
        try {
            testOver.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void sendsTheRequestAsGivenAndReadsTheWholeAnswer() throws IOException {
        OutboundResponse answer = http.send(OutboundRequest.builder("PATCH", url("/echo?x=1"))
                .header("Idempotency-Key", "exec-1:0").header("X-Custom", "a")
                .body("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json").build());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.successful()).isTrue();
        assertThat(answer.header("x-answer")).isEqualTo("42");
        assertThat(answer.text()).isEqualTo("caf\u00e9"); // decoded in the charset the answer names
        assertThat(answer.truncated()).isFalse();
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.path()).isEqualTo("/echo?x=1");
        assertThat(request.body()).isEqualTo("{\"a\":1}");
        assertThat(request.headers().get("Idempotency-key")).containsExactly("exec-1:0");
        assertThat(request.headers().get("Content-type")).containsExactly("application/json");
        assertThat(request.headers().get("User-agent")).containsExactly("DooneFlow");
    }

    @Test
    void aFormBodyIsUrlEncoded() throws IOException {
        http.send(OutboundRequest.post(url("/echo")).form(Map.of("code", "a b&c=d")).build());
        assertThat(seen.get(0).body()).isEqualTo("code=a+b%26c%3Dd");
        assertThat(seen.get(0).headers().get("Content-type")).containsExactly("application/x-www-form-urlencoded");
    }

    @Test
    void connectionsToAHostAreKeptAliveAndItsNameIsLookedUpOnce() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        http.close();
        http = new ApacheOutboundHttp(new OutboundGuard("127.0.0.1/32", host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }));
        String url = "http://hooks.example.test:" + server.getAddress().getPort() + "/echo";
        for (int i = 0; i < 3; i++) {
            assertThat(http.send(OutboundRequest.get(url).build()).status()).isEqualTo(200);
        }
        assertThat(seen).extracting(Seen::clientPort).containsOnly(seen.get(0).clientPort());
        assertThat(lookups).hasValue(1);
    }

    @Test
    void privateAddressesAreRefusedUnlessAllowListedAndNothingIsSent() throws IOException {
        http.close();
        http = client("");
        assertThatThrownBy(() -> http.send(OutboundRequest.get(url("/echo")).build()))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class)
                .hasMessage("127.0.0.1 resolves to 127.0.0.1, which is a private address; an administrator can"
                        + " allow it with DOONEFLOW_OUTBOUND_ALLOWLIST");
        assertThatThrownBy(() -> http.send(OutboundRequest.get("http://[::ffff:127.0.0.1]:"
                + server.getAddress().getPort() + "/echo").build()))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class)
                .hasMessageContaining("resolves to 127.0.0.1, which is a private address");
        assertThat(seen).isEmpty();

        http.close();
        http = client("10.0.0.0/8, 127.0.0.1/32");
        assertThat(http.send(OutboundRequest.get(url("/echo")).build()).status()).isEqualTo(200);
    }

    @Test
    void theConnectionGoesOnlyToTheAddressesTheGuardChecked() {
        // DNS rebinding: a name that first looks public and then points inside. The client connects to what the
        // guard's one lookup returned, so the second answer is never used and the private one is refused.
        AtomicInteger lookups = new AtomicInteger();
        OutboundGuard.Resolver rebinding = host -> lookups.incrementAndGet() == 1
                ? new InetAddress[] {InetAddress.getByName("93.184.215.14")}
                : new InetAddress[] {InetAddress.getLoopbackAddress()};
        http.close();
        http = new ApacheOutboundHttp(new OutboundGuard("", rebinding));
        String url = "http://rebind.example.test:" + server.getAddress().getPort() + "/echo";
        assertThatThrownBy(() -> http.send(OutboundRequest.get(url).connectTimeout(Duration.ofMillis(300))
                .timeout(Duration.ofMillis(500)).build())).isInstanceOf(IOException.class);
        assertThat(lookups).hasValue(1); // it tried the public address it checked, and looked nothing up again
        assertThatThrownBy(() -> http.send(OutboundRequest.get(url).build()))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class)
                .hasMessageContaining("resolves to 127.0.0.1, which is a private address");
        assertThat(seen).isEmpty();
    }

    @Test
    void unclearHostsAreRefusedBeforeAnyLookup() {
        http.close();
        http = new ApacheOutboundHttp(new OutboundGuard("127.0.0.1/32", host -> {
            throw new UnknownHostException("no lookup expected for " + host);
        }));
        assertThatThrownBy(() -> http.send(OutboundRequest.get("http://127.1:" + server.getAddress().getPort() + "/")
                .build())).hasMessageContaining("looks like an IPv4 address but is not written as four decimal");
        assertThatThrownBy(() -> OutboundRequest.get("ftp://127.0.0.1/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only http and https");
    }

    @Test
    void redirectsAreAnswersNotFollowed() throws IOException {
        OutboundResponse answer = http.send(OutboundRequest.post(url("/moved")).build());
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).isEqualTo("http://169.254.169.254/latest/meta-data/");
        assertThat(seen).hasSize(1);
    }

    @Test
    void retryAfterIsReadInSecondsAndAsAnHttpDate() throws IOException {
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        OutboundResponse seconds = http.send(OutboundRequest.get(url("/busy?120")).build());
        assertThat(seconds.status()).isEqualTo(503);
        assertThat(seconds.retryAfter(now)).isEqualTo(Duration.ofSeconds(120));
        OutboundResponse date = http.send(OutboundRequest.get(url("/busy?Sat,%2001%20Mar%202025%2010:01:30%20GMT"))
                .build());
        assertThat(date.retryAfter(now)).isEqualTo(Duration.ofSeconds(90));
        assertThat(http.send(OutboundRequest.get(url("/echo")).build()).retryAfter(now)).isNull();
    }

    @Test
    void theBodyIsReadOnlyUpToTheLimit() throws IOException {
        long start = System.nanoTime();
        OutboundResponse answer = http.send(OutboundRequest.get(url("/big")).maxResponseBytes(1000).build());
        assertThat(answer.body()).hasSize(1000);
        assertThat(answer.truncated()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        OutboundResponse whole = http.send(OutboundRequest.get(url("/big")).build()); // 1 MiB by default
        assertThat(whole.body()).hasSize(OutboundRequest.DEFAULT_MAX_RESPONSE_BYTES);
        assertThat(whole.truncated()).isTrue();
        OutboundResponse exact = http.send(OutboundRequest.get(url("/big")).maxResponseBytes(2 * 1024 * 1024).build());
        assertThat(exact.truncated()).isFalse();
        // the connection a truncated answer left half-read was dropped, not reused: the next call still works
        assertThat(http.send(OutboundRequest.get(url("/echo")).build()).text()).isEqualTo("caf\u00e9");
    }

    @Test
    void anAnswerThatDoesNotComeInTimeIsATimeoutAfterTheRequestWasSent() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> http.send(OutboundRequest.get(url("/slow")).timeout(Duration.ofMillis(800)).build()))
                .isInstanceOfSatisfying(OutboundTimeoutException.class, e -> {
                    assertThat(e.connecting()).isFalse();
                    assertThat(e).hasMessage("the call to 127.0.0.1 timed out: no complete answer within 800 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void theTimeoutBoundsTheWholeAnswerNotEachRead() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> http.send(OutboundRequest.get(url("/drip")).timeout(Duration.ofSeconds(1)).build()))
                .isInstanceOf(OutboundTimeoutException.class).hasMessageContaining("within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aConnectionThatIsNotAcceptedInTimeIsAConnectTimeout() throws IOException {
        // A listening socket whose accept queue is full: the kernel lets further connection attempts hang.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        queued.add(s);
                    } catch (IOException e) {
                        s.close();
                        break; // the queue is full
                    }
                }
                long start = System.nanoTime();
                assertThatThrownBy(() -> http.send(OutboundRequest.get("http://127.0.0.1:" + full.getLocalPort() + "/")
                        .connectTimeout(Duration.ofMillis(500)).timeout(Duration.ofSeconds(5)).build()))
                        .isInstanceOfSatisfying(OutboundTimeoutException.class, e -> {
                            assertThat(e.connecting()).isTrue();
                            assertThat(e).hasMessage("connecting to 127.0.0.1 timed out after 500 ms");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aCancelledCallEndsAtOnceAndSaysSo() throws Exception {
        OutboundHttp.Call call = http.newCall(OutboundRequest.get(url("/slow")).timeout(Duration.ofSeconds(60)).build());
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                call.execute();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> handlersBusy() > 0); // the request is in the server's hands
        long start = System.nanoTime();
        call.cancel();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class)
                .isNotInstanceOf(OutboundTimeoutException.class).hasMessage("the call to 127.0.0.1 was cancelled");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    private int handlersBusy() {
        return ((java.util.concurrent.ThreadPoolExecutor) handlers).getActiveCount();
    }

    @Test
    void aNewGuardAppliesToTheNextCallAlsoOnAKeptAliveConnection() throws IOException {
        assertThat(http.send(OutboundRequest.get(url("/echo")).build()).status()).isEqualTo(200);
        http.guard(new OutboundGuard(""));
        assertThatThrownBy(() -> http.send(OutboundRequest.get(url("/echo")).build()))
                .isInstanceOf(OutboundGuard.RefusedAddressException.class);
        assertThat(seen).hasSize(1);
    }
}
