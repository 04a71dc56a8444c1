package com.dooneflow.connector.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Page;
import com.dooneflow.api.ValidationException;
import com.dooneflow.testing.outbound.TestOutboundHttp;

/** Connections: settings, the OAuth web server flow with PKCE against the fake, and every way a callback is refused. */
class SalesforceConnectionsTest {

    private final SalesforceFake fake = SalesforceFake.start();
    private final Rig rig = new Rig();

    @AfterEach
    void close() throws Exception {
        rig.close();
        fake.close();
    }

    @Test
    void connectionsAreSavedWithoutEverShowingTheSecret() {
        String id = rig.create("Production", "production", fake);
        Map<String, Object> view = rig.connections.get(Fakes.OWNER, Fakes.ORG, id);
        assertThat(view).containsEntry("name", "Production").containsEntry("environment", "production")
                .containsEntry("clientId", SalesforceFake.CLIENT_ID).containsEntry("clientSecretSet", true)
                .containsEntry("status", "not_connected").containsEntry("loginUrl", fake.baseUrl())
                .containsEntry("redirectUri", Rig.PUBLIC_URL + "/v1/organizations/org-1/integrations/salesforce/oauth/callback")
                .doesNotContainKey("clientSecret");
        assertThat(view.toString()).doesNotContain(SalesforceFake.CLIENT_SECRET);
        assertThat(rig.store.secret(id, "clientSecret")).contains(SalesforceFake.CLIENT_SECRET);

        // Members read; only owners and admins write; other organizations see nothing.
        assertThat(Fakes.names(rig.list(Fakes.MEMBER))).containsExactly("Production");
        assertThatThrownBy(() -> rig.connections.update(Fakes.MEMBER, Fakes.ORG, id, body("Production", null)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.connections.connect(Fakes.MEMBER, Fakes.ORG, id))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.connections.get(Fakes.STRANGER, Fakes.ORG, id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.connections.get(Fakes.OWNER, "org-2", id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.connections.delete(Fakes.OWNER, Fakes.ORG, "no-such-id"))
                .isInstanceOf(NotFoundException.class);

        // PATCH: a new secret is taken, an explicit redirect URI replaces the default, absent fields stay.
        Map<String, Object> patched = rig.connections.update(Fakes.OWNER, Fakes.ORG, id,
                new ConnectionBody(null, null, null, null, "rotated-secret", "https://other.example.com/cb"));
        assertThat(patched).containsEntry("redirectUri", "https://other.example.com/cb")
                .containsEntry("name", "Production");
        assertThat(rig.store.secret(id, "clientSecret")).contains("rotated-secret");

        rig.connections.delete(Fakes.OWNER, Fakes.ORG, id);
        assertThat(rig.list(Fakes.OWNER)).isEmpty();
    }

    @Test
    void badInputIsRefusedNamingEachFieldAndADuplicateNameIsAConflict() {
        assertThatThrownBy(() -> rig.connections.create(Fakes.OWNER, Fakes.ORG,
                new ConnectionBody(" ", "staging", "http://login.salesforce.com", "", null, "ftp://x")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("name", "environment", "loginUrl", "clientId", "clientSecret", "redirectUri"));
        assertThatThrownBy(() -> rig.connections.create(Fakes.OWNER, Fakes.ORG,
                new ConnectionBody("X", null, "https://login.example.com/path?x=1", "id", "secret", null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().get(0).message())
                        .contains("just a scheme and host"));
        assertThat(rig.list(Fakes.OWNER)).isEmpty();

        rig.create("Production", "production", fake);
        assertThatThrownBy(() -> rig.create("Production", "sandbox", fake))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> rig.connections.create(Fakes.MEMBER, Fakes.ORG, body("Other", "secret")))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void racingCreatesOfOneNameLeaveOneConnectionAndConflictsNamingTheField() throws Exception {
        int racers = 8;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                String secret = "secret-" + i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return id(rig.connections.create(Fakes.OWNER, Fakes.ORG, body("Production", secret)));
                    } catch (ConflictException e) {
                        assertThat(e.field()).isEqualTo("name");
                        assertThat(e.getMessage()).contains("'Production' already exists");
                        return null;
                    }
                }));
            }
            List<String> created = new ArrayList<>();
            for (Future<String> f : outcomes) {
                if (f.get() != null) {
                    created.add(f.get());
                }
            }
            assertThat(created).hasSize(1);
            assertThat(rig.list(Fakes.OWNER)).extracting(v -> v.get("id")).containsExactly(created.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aConnectionIsRenamedByPatchUnlessTheNameIsTaken() throws Exception {
        String prod = rig.connected("Production", "production", fake);
        String sandbox = rig.create("Sandbox", "sandbox", fake);

        Map<String, Object> renamed = rig.connections.update(Fakes.OWNER, Fakes.ORG, prod, named(" Main org "));
        assertThat(renamed).containsEntry("name", "Main org").containsEntry("status", "connected");
        assertThat(rig.connections.byName(Fakes.ORG, "Main org")).get().extracting(Connection::id).isEqualTo(prod);
        assertThat(rig.connections.byName(Fakes.ORG, "Production")).isEmpty();
        // The tokens survive a rename: it is the same authorization under another name.
        assertThat(rig.store.secret(prod, "refreshToken")).isPresent();

        // A taken name: 409 naming the field, and nothing else of that PATCH is written.
        assertThatThrownBy(() -> rig.connections.update(Fakes.OWNER, Fakes.ORG, sandbox,
                new ConnectionBody("Main org", null, null, null, "other-secret", "https://other.example.com/cb")))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.getMessage()).contains("'Main org' already exists");
                });
        assertThat(rig.connections.get(Fakes.OWNER, Fakes.ORG, sandbox)).containsEntry("name", "Sandbox")
                .doesNotContainEntry("redirectUri", "https://other.example.com/cb");
        assertThat(rig.store.secret(sandbox, "clientSecret")).contains(SalesforceFake.CLIENT_SECRET);

        // Bad names are refused like on create; the same name again changes nothing.
        assertThatThrownBy(() -> rig.connections.update(Fakes.OWNER, Fakes.ORG, sandbox, named(" ")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("name"));
        assertThatThrownBy(() -> rig.connections.update(Fakes.OWNER, Fakes.ORG, sandbox, named("x".repeat(101))))
                .isInstanceOf(ValidationException.class);
        assertThat(rig.connections.update(Fakes.OWNER, Fakes.ORG, sandbox, named("Sandbox")))
                .containsEntry("name", "Sandbox");
        assertThatThrownBy(() -> rig.connections.update(Fakes.MEMBER, Fakes.ORG, sandbox, named("Mine")))
                .isInstanceOf(ForbiddenException.class);
        assertThat(Fakes.names(rig.list(Fakes.OWNER))).containsExactly("Main org", "Sandbox");
    }

    @Test
    void theListIsPagedByNameWithAnOpaqueCursor() {
        for (String name : List.of("Echo", "alpha", "Bravo", "Delta", "Charlie")) {
            rig.connections.create(Fakes.OWNER, Fakes.ORG, body(name, "s"));
        }
        Page<Map<String, Object>> first = rig.connections.list(Fakes.MEMBER, Fakes.ORG, 2, null);
        assertThat(Fakes.names(first.items())).containsExactly("alpha", "Bravo");
        assertThat(first.nextCursor()).isNotBlank().doesNotContain("Bravo");
        Page<Map<String, Object>> second = rig.connections.list(Fakes.MEMBER, Fakes.ORG, 2, first.nextCursor());
        assertThat(Fakes.names(second.items())).containsExactly("Charlie", "Delta");
        // Removing the item a cursor points at neither repeats nor skips anything.
        rig.connections.delete(Fakes.OWNER, Fakes.ORG, id(second.items().get(1)));
        Page<Map<String, Object>> last = rig.connections.list(Fakes.MEMBER, Fakes.ORG, 2, second.nextCursor());
        assertThat(Fakes.names(last.items())).containsExactly("Echo");
        assertThat(last.nextCursor()).isNull();
        Page<Map<String, Object>> all = rig.connections.list(Fakes.MEMBER, Fakes.ORG, ConnectionPages.DEFAULT_LIMIT, null);
        assertThat(all.items()).hasSize(4);
        assertThat(all.nextCursor()).isNull();

        for (String cursor : List.of("not a cursor!", "bm8tbmV3bGluZQ", "")) {
            if (cursor.isEmpty()) {
                assertThat(rig.connections.list(Fakes.MEMBER, Fakes.ORG, 2, cursor).items()).hasSize(2);
                continue;
            }
            assertThatThrownBy(() -> rig.connections.list(Fakes.MEMBER, Fakes.ORG, 2, cursor))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::field).containsExactly("cursor"));
        }
        for (String bad : List.of("0", "-1", "501", "abc", "1.5", "99999999999")) {
            assertThatThrownBy(() -> ConnectionPages.limit(bad)).as(bad)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::field, FieldError::message)
                            .containsExactly(tuple("limit", "must be a whole number from 1 to 500")));
        }
        assertThat(ConnectionPages.limit(null)).isEqualTo(50);
        assertThat(ConnectionPages.limit("")).isEqualTo(50);
        assertThat(ConnectionPages.limit("500")).isEqualTo(500);
        assertThatThrownBy(() -> rig.connections.list(Fakes.STRANGER, Fakes.ORG, 2, null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void theDefaultLoginHostsFollowTheEnvironment() {
        String prod = id(rig.connections.create(Fakes.OWNER, Fakes.ORG, body("Prod", "s")));
        String sandbox = id(rig.connections.create(Fakes.OWNER, Fakes.ORG,
                new ConnectionBody("Sandbox", "sandbox", null, "cid", "s", null)));
        assertThat(rig.connections.connect(Fakes.OWNER, Fakes.ORG, prod))
                .startsWith("https://login.salesforce.com/services/oauth2/authorize?response_type=code&client_id=cid");
        assertThat(rig.connections.connect(Fakes.OWNER, Fakes.ORG, sandbox))
                .startsWith("https://test.salesforce.com/services/oauth2/authorize?");
    }

    @Test
    void savingANewConnectionAnswersWithTheAuthorizeUrlThatCompletesIt() throws Exception {
        Map<String, Object> created = rig.connections.create(Fakes.OWNER, Fakes.ORG, new ConnectionBody("Production",
                "production", fake.baseUrl(), SalesforceFake.CLIENT_ID, SalesforceFake.CLIENT_SECRET, null));
        String authorizeUrl = created.get("authorizeUrl").toString();
        assertThat(authorizeUrl).startsWith(fake.baseUrl() + "/services/oauth2/authorize?");
        assertThat(rig.returnTo(fake.approve(authorizeUrl)).status()).isEqualTo(200);
        assertThat(rig.connections.get(Fakes.OWNER, Fakes.ORG, id(created))).containsEntry("status", "connected");
    }

    @Test
    void theBrowserlessFlowStoresTheTokensAndMarksTheConnectionConnected() throws Exception {
        String id = rig.create("Production", "production", fake);
        String authorizeUrl = rig.connections.connect(Fakes.OWNER, Fakes.ORG, id);
        Map<String, String> q = SalesforceFake.form(URI.create(authorizeUrl).getRawQuery());
        assertThat(q).containsEntry("client_id", SalesforceFake.CLIENT_ID).containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", Rig.PUBLIC_URL + "/v1/organizations/org-1/integrations/salesforce/oauth/callback")
                .containsKeys("state", "code_challenge");
        assertThat(q.get("state")).startsWith(id + ".");
        // The verifier stays on the server: the browser only ever sees its hash.
        assertThat(authorizeUrl).doesNotContain(rig.store.secret(id, "pkceVerifier").orElseThrow());

        AuthorizationFlow.CallbackResult result = rig.returnTo(fake.approve(authorizeUrl));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.message()).contains("connected");
        Map<String, String> exchange = fake.tokenRequests().get(0);
        assertThat(exchange).containsEntry("grant_type", "authorization_code");
        assertThat(SalesforceFake.s256(exchange.get("code_verifier"))).isEqualTo(q.get("code_challenge"));
        String access = rig.store.secret(id, "accessToken").orElseThrow();
        String refresh = rig.store.secret(id, "refreshToken").orElseThrow();
        assertThat(fake.isValidAccessToken(access)).isTrue();
        assertThat(fake.isValidRefreshToken(refresh)).isTrue();
        assertThat(rig.store.secret(id, "pkceVerifier")).isEmpty();
        Map<String, Object> view = rig.connections.get(Fakes.OWNER, Fakes.ORG, id);
        assertThat(view).containsEntry("status", "connected").containsEntry("instanceUrl", fake.baseUrl());
        assertThat(view.toString()).doesNotContain(access).doesNotContain(refresh);
        assertThat(result.connection()).containsEntry("status", "connected");
    }

    @Test
    void aReplayedStateIsRefusedAndChangesNothing() throws Exception {
        String id = rig.create("Production", "production", fake);
        String callback = fake.approve(rig.connections.connect(Fakes.OWNER, Fakes.ORG, id));
        assertThat(rig.returnTo(callback).status()).isEqualTo(200);
        String token = rig.store.secret(id, "accessToken").orElseThrow();

        AuthorizationFlow.CallbackResult replay = rig.returnTo(callback);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.message()).contains("already used");
        assertThat(rig.store.secret(id, "accessToken")).contains(token);
        assertThat(fake.tokenRequests()).hasSize(1);
    }

    @Test
    void anExpiredStateIsRefusedAndStoresNothing() throws Exception {
        String id = rig.create("Production", "production", fake);
        String callback = fake.approve(rig.connections.connect(Fakes.OWNER, Fakes.ORG, id));
        rig.clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        AuthorizationFlow.CallbackResult r = rig.returnTo(callback);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).contains("expired");
        assertNothingStored(id);
        // Spent: the same state does not work later either.
        assertThat(rig.returnTo(callback).message()).contains("already used");
    }

    @Test
    void aMissingUnknownOrForeignStateIsRefused() throws Exception {
        String id = rig.create("Production", "production", fake);
        String callback = fake.approve(rig.connections.connect(Fakes.OWNER, Fakes.ORG, id));
        Map<String, String> q = SalesforceFake.form(URI.create(callback).getRawQuery());

        assertThat(rig.connections.callback(Fakes.ORG, null, q.get("code"), null, null).message()).contains("no state");
        assertThat(rig.connections.callback(Fakes.ORG, id + ".forged", q.get("code"), null, null).status()).isEqualTo(400);
        assertThat(rig.connections.callback(Fakes.ORG, "garbage", q.get("code"), null, null).status()).isEqualTo(400);
        // A state issued for org-1 presented at another organization's callback URL.
        AuthorizationFlow.CallbackResult foreign = rig.connections.callback("org-2", q.get("state"), q.get("code"),
                null, null);
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.message()).contains("does not belong");
        assertNothingStored(id);
        assertThat(fake.tokenRequests()).isEmpty();

        // The genuine state still works afterwards: none of the above spent it.
        assertThat(rig.returnTo(callback).status()).isEqualTo(200);
    }

    @Test
    void aNewConnectReplacesTheEarlierState() throws Exception {
        String id = rig.create("Production", "production", fake);
        String first = fake.approve(rig.connections.connect(Fakes.OWNER, Fakes.ORG, id));
        String second = fake.approve(rig.connections.connect(Fakes.OWNER, Fakes.ORG, id));
        assertThat(rig.returnTo(first).status()).isEqualTo(400);
        assertThat(rig.returnTo(second).status()).isEqualTo(200);
    }

    @Test
    void aDeniedAuthorizationIsReportedAndStoresNothing() throws Exception {
        String id = rig.create("Production", "production", fake);
        fake.denyNextAuthorization();
        AuthorizationFlow.CallbackResult r = rig.connect(id, fake);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).contains("access_denied").contains("end-user denied authorization");
        assertNothingStored(id);
    }

    @Test
    void aCodeRequestedWithAnotherChallengeIsRefusedByPkce() throws Exception {
        String id = rig.create("Production", "production", fake);
        String authorizeUrl = rig.connections.connect(Fakes.OWNER, Fakes.ORG, id);
        // An attacker's authorization request (their own challenge) carrying our state: our verifier cannot match.
        String challenge = SalesforceFake.form(URI.create(authorizeUrl).getRawQuery()).get("code_challenge");
        String tampered = authorizeUrl.replace(challenge, SalesforceFake.s256("attacker-verifier"));

        AuthorizationFlow.CallbackResult r = rig.returnTo(fake.approve(tampered));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).contains("invalid code verifier");
        assertNothingStored(id);
    }

    @Test
    void reconnectingReplacesTheTokensAndChangingTheAppForgetsThem() throws Exception {
        String id = rig.connected("Production", "production", fake);
        String before = rig.store.secret(id, "refreshToken").orElseThrow();
        assertThat(rig.connect(id, fake).status()).isEqualTo(200);
        assertThat(rig.store.secret(id, "refreshToken")).isPresent().get().isNotEqualTo(before);

        Map<String, Object> changed = rig.connections.update(Fakes.OWNER, Fakes.ORG, id,
                new ConnectionBody(null, null, null, "another-client-id", null, null));
        assertThat(changed).containsEntry("status", "not_connected").containsEntry("instanceUrl", null);
        assertThat(rig.store.secret(id, "accessToken")).isEmpty();
        assertThat(rig.store.secret(id, "refreshToken")).isEmpty();
    }

    @Test
    void anInstanceUrlOrLoginHostOutsideTheAllowlistIsRefused() {
        try (TestOutboundHttp noAllowlist = TestOutboundHttp.allowing("")) {
            SalesforceHttp http = new SalesforceHttp(noAllowlist, Duration.ofSeconds(1));
            assertThatThrownBy(() -> http.checkBaseUrl("http://127.0.0.1:9999")).hasMessageContaining("https");
            assertThatThrownBy(() -> http.checkBaseUrl("file:///etc/passwd")).hasMessageContaining("http and https");
            assertThat(http.checkBaseUrl("https://mydomain.my.salesforce.com/"))
                    .isEqualTo("https://mydomain.my.salesforce.com");
        }
        assertThat(rig.connections.http().checkBaseUrl(fake.baseUrl())).isEqualTo(fake.baseUrl());
    }

    @Test
    void thePublicUrlComesFromTheEnvironmentThenTheConfigurationThenTheDefault() {
        assertThat(SalesforceConnections.publicUrl("https://cfg.example.com", "https://env.example.com"))
                .isEqualTo("https://env.example.com");
        assertThat(SalesforceConnections.publicUrl("https://cfg.example.com", " ")).isEqualTo("https://cfg.example.com");
        assertThat(SalesforceConnections.publicUrl("", null)).isEqualTo("http://localhost:8181");
    }

    private void assertNothingStored(String id) {
        assertThat(rig.store.secret(id, "accessToken")).isEmpty();
        assertThat(rig.store.secret(id, "refreshToken")).isEmpty();
        assertThat(rig.connections.get(Fakes.OWNER, Fakes.ORG, id)).containsEntry("status", "not_connected");
    }

    private static ConnectionBody body(String name, String secret) {
        return new ConnectionBody(name, null, null, "cid", secret, null);
    }

    /** A PATCH that only renames. */
    private static ConnectionBody named(String name) {
        return new ConnectionBody(name, null, null, null, null, null);
    }

    private static String id(Map<String, Object> view) {
        return view.get("id").toString();
    }

}
