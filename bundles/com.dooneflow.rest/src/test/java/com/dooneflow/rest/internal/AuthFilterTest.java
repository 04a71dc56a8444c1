package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.Principal;
import com.dooneflow.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The bearer-token filter as a plain object: a fake token store, a clock the test moves, the log as a list. */
class AuthFilterTest {

    private static final String VALID = "dft_GoodToken0123456789abcdefghijklmnopqrstuvw";
    private static final String ATTACKER = "203.0.113.7";
    private static final String OTHER = "198.51.100.9";

    private final AtomicInteger lookups = new AtomicInteger();
    private final AccessService access = (AccessService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AccessService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("authenticate")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                lookups.incrementAndGet();
                return VALID.equals(args[0]) ? Optional.of(Principal.user("u1", "u1@example.com", "t1", null))
                        : Optional.empty();
            });
    private final MutableClock clock = new MutableClock();
    private final List<String> log = new ArrayList<>();
    private AuthFilter filter = new AuthFilter(access, 20, clock, log::add);

    /** What the filter did with one request. */
    private record Outcome(Response aborted, SecurityContext authenticated) {
    }

    private Outcome call(String address, String authorization) {
        filter.servletRequest = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getRemoteAddr")) {
                        return address;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Response[] aborted = new Response[1];
        SecurityContext[] context = new SecurityContext[1];
        ContainerRequestContext request = (ContainerRequestContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ContainerRequestContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaderString" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                    case "abortWith" -> aborted[0] = (Response) args[0];
                    case "setSecurityContext" -> context[0] = (SecurityContext) args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        filter.filter(request);
        return new Outcome(aborted[0], context[0]);
    }

    /** A wrong token of DooneFlow's shape, each with another prefix. */
    private static String wrong(int i) {
        String n = Integer.toString(i, 36);
        return "dft_" + "0".repeat(4 - n.length()) + n + "Wrong0123456789abcdefghijklmnopqrstuvwxyz";
    }

    private static int status(Outcome o) {
        return o.aborted() == null ? 200 : o.aborted().getStatus();
    }

    private static JsonNode problem(Response r) throws IOException {
        assertThat(String.valueOf(r.getMediaType())).isEqualTo("application/problem+json");
        return new ObjectMapper().readTree((String) r.getEntity());
    }

    @Test
    void failuresOverTheLimitAre429WithRetryAfterUntilTheWindowFrees() throws Exception {
        for (int i = 0; i < 20; i++) {
            Outcome o = call(ATTACKER, "Bearer " + wrong(i));
            assertThat(status(o)).as("failure %d", i + 1).isEqualTo(401);
            assertThat(o.aborted().getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"dooneflow\"");
        }
        clock.advance(Duration.ofSeconds(15));
        Response limited = call(ATTACKER, "Bearer " + wrong(20)).aborted();
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeaderString("Retry-After")).as("seconds until the minute that began 15 s ago ends")
                .isEqualTo("45");
        JsonNode p = problem(limited);
        assertThat(p.path("status").asInt()).isEqualTo(429);
        assertThat(p.path("type").asText()).endsWith("/too-many-failed-authentications");
        assertThat(p.path("detail").asText()).contains("45 s");

        clock.advance(Duration.ofSeconds(44));
        assertThat(call(ATTACKER, "Bearer " + wrong(21)).aborted().getHeaderString("Retry-After")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(call(ATTACKER, "Bearer " + wrong(22)))).as("a new minute").isEqualTo(401);
    }

    @Test
    void aValidTokenFromALimitedAddressStillPasses() {
        for (int i = 0; i < 30; i++) {
            call(ATTACKER, "Bearer " + wrong(i));
        }
        assertThat(status(call(ATTACKER, "Bearer " + wrong(99)))).isEqualTo(429);
        Outcome valid = call(ATTACKER, "Bearer " + VALID);
        assertThat(valid.aborted()).isNull();
        assertThat(Caller.of(valid.authenticated()).userId()).isEqualTo("u1");
        assertThat(lookups.get()).as("every token was checked, also while limited").isEqualTo(32);
    }

    @Test
    void addressesAreCountedApart() {
        for (int i = 0; i < 25; i++) {
            call(ATTACKER, "Bearer " + wrong(i));
        }
        assertThat(status(call(ATTACKER, "Bearer " + wrong(30)))).isEqualTo(429);
        assertThat(status(call(OTHER, "Bearer " + wrong(31)))).isEqualTo(401);
        assertThat(status(call("2001:db8:7:7::1", "Bearer " + wrong(32)))).isEqualTo(401);
    }

    @Test
    void oneTokenPrefixFailingFromManyAddressesIsLimitedToo() {
        String sameStart = "dft_Same0000";
        for (int i = 0; i < 20; i++) {
            assertThat(status(call("10.0.0." + i, "Bearer " + sameStart + wrong(i)))).isEqualTo(401);
        }
        Response r = call("10.0.1.1", "Bearer " + sameStart + "anything-else-entirely-x").aborted();
        assertThat(r.getStatus()).isEqualTo(429);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("60");
        assertThat(status(call("10.0.1.1", "Bearer " + wrong(77)))).as("another prefix from there").isEqualTo(401);
    }

    @Test
    void requestsWithoutCredentialsAreNotCounted() {
        for (int i = 0; i < 50; i++) {
            assertThat(status(call(ATTACKER, null))).isEqualTo(401);
        }
        assertThat(status(call(ATTACKER, "Bearer " + wrong(0)))).isEqualTo(401);
        assertThat(log).hasSize(1);
    }

    @Test
    void otherSchemesAndEmptyTokensCountAsFailures() throws Exception {
        for (int i = 0; i < 10; i++) {
            call(ATTACKER, "Basic dXNlcjpwYXNzd29yZA==");
            call(ATTACKER, "Bearer ");
        }
        Response r = call(ATTACKER, "Basic dXNlcjpwYXNzd29yZA==").aborted();
        assertThat(r.getStatus()).isEqualTo(429);
        assertThat(log).noneMatch(line -> line.contains("dXNlcjpw"));
    }

    @Test
    void failuresAreLoggedOncePerAddressAndMinuteAndEachTripOnceWithoutTheSecret() {
        String secret = "dft_Leak" + "S3cretPartThatMustNeverBeLogged0123456789";
        for (int i = 0; i < 40; i++) {
            call(ATTACKER, "Bearer " + secret);
        }
        call(OTHER, "Bearer " + wrong(1));
        assertThat(log).hasSize(4);
        assertThat(log.get(0)).startsWith("Failed API token authentication from " + ATTACKER)
                .contains("token prefix dft_Leak");
        assertThat(log.get(1)).startsWith("Too many failed API token authentications from " + ATTACKER)
                .contains("21 in a minute").contains("429 for 60 s");
        assertThat(log.get(2)).startsWith("Too many failed API token authentications with token prefix dft_Leak");
        assertThat(log.get(3)).startsWith("Failed API token authentication from " + OTHER);
        assertThat(log).noneMatch(line -> line.contains("S3cret") || line.contains(secret));

        clock.advance(Duration.ofMinutes(1));
        call(ATTACKER, "Bearer " + secret);
        assertThat(log).hasSize(5);
    }

    @Test
    void shortOrOddTokensShowNoPrefixAndCannotForgeLogLines() {
        call(ATTACKER, "Bearer short-secret");
        assertThat(log.get(0)).contains("(none shown)").doesNotContain("short");
        assertThat(AuthFilter.prefix("ab\ncd\u001bef" + "x".repeat(30))).isEqualTo("ab?cd?ef");
        assertThat(AuthFilter.prefix(null)).isNull();
    }

    @Test
    void aLimitOfZeroNeverAnswers429() {
        filter = new AuthFilter(access, 0, clock, log::add);
        for (int i = 0; i < 200; i++) {
            assertThat(status(call(ATTACKER, "Bearer " + wrong(i)))).isEqualTo(401);
        }
        assertThat(log).as("failures are still logged").hasSize(1);
    }

    @Test
    void aSprayOfAddressesKeepsTheCountersBounded() {
        for (int i = 0; i < AuthFilter.MAX_KEYS + 5_000; i++) {
            call("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff), "Bearer " + wrong(i));
        }
        assertThat(filter.byAddress.size()).isEqualTo(AuthFilter.MAX_KEYS);
        assertThat(filter.byPrefix.size()).isEqualTo(AuthFilter.MAX_KEYS);
    }
}
