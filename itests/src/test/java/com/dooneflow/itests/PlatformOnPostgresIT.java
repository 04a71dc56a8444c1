package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.jdbc.DataSourceFactory;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/** The platform foundation on PostgreSQL, over HTTP and the console, in the real distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformOnPostgresIT extends DooneFlowTestSupport {

    @Inject
    OrganizationService organizations;
    @Inject
    AccessService access;
    @Inject
    InvitationService invitations;
    @Inject
    SecretVault vault;
    @Inject
    @Filter("(osgi.jdbc.driver.class=org.postgresql.Driver)")
    DataSourceFactory postgres;

    @Configuration
    public Option[] config() {
        String url = postgresDatabaseOfThisClass();
        List<Option> options = ownerOnPostgres(url);
        options.add(systemProperty("dooneflow.it.db.url").value(url));
        return distribution(options.toArray(new Option[0]));
    }

    @Test
    public void healthIsUpOnPostgresAndTheBootstrapOwnerSignsIn() {
        JsonNode health = awaitHealthy();
        assertEquals("UP", health.path("status").asText());
        assertEquals("postgresql", health.path("database").asText());
        assertEquals("UP", health.path("checks").path("components").asText());
        // ready means every route is served: the core's and each connector's answer at once (401, not 404)
        for (String route : List.of("/v1/organizations/probe/workflows", "/v1/organizations/probe/integrations/twilio",
                "/v1/organizations/probe/integrations/salesforce", "/v1/organizations/probe/email-inboxes")) {
            assertEquals(route, 401, get(route, null).status());
        }

        JsonNode me = get("/v1/me", OWNER_TOKEN).json();
        assertEquals("owner@it.example", me.path("email").asText());
        assertEquals("owner", me.path("organizations").path(0).path("role").asText());

        Reply anonymous = get("/v1/me", null);
        assertEquals(401, anonymous.status());
        assertStartsWith(anonymous.contentType(), "application/problem+json");
        assertEquals(401, get("/v1/me", "dft_not-a-real-token").status());
    }

    @Test
    public void ownersAndAdminsInviteMembersAndMembersGet403() {
        awaitHealthy();
        String org = ownerOrganization();
        String members = "/v1/organizations/" + org + "/members";
        int before = get(members, OWNER_TOKEN).json().path("items").size(); // other tests add members too
        Reply invited = invite(org, OWNER_TOKEN, "Bob@IT.example", "member");
        assertEquals(invited.body(), 201, invited.status());
        JsonNode invitation = invited.json().path("invitation");
        assertEquals("bob@it.example", invitation.path("email").asText());
        assertEquals("pending", invitation.path("status").asText());
        assertEquals("owner@it.example", invitation.path("invitedBy").asText());
        assertStartsWith(invited.json().path("acceptToken").asText(), "dfi_");
        assertEquals("nobody joins before accepting", before, get(members, OWNER_TOKEN).json().path("items").size());

        Reply accepted = accept(invited.json().path("acceptToken").asText(), null);
        assertEquals(accepted.body(), 200, accepted.status());
        String bob = accepted.json().path("token").path("token").asText();
        String bobId = accepted.json().path("member").path("userId").asText();
        assertStartsWith(bob, "dft_");
        assertEquals(org, accepted.json().path("token").path("organizationId").asText());
        assertEquals(409, accept(invited.json().path("acceptToken").asText(), null).status());

        assertEquals("member", get("/v1/organizations/" + org, bob).json().path("role").asText());
        assertEquals(200, get(members, bob).status());
        Reply forbidden = invite(org, bob, "x@it.example", "member");
        assertEquals(403, forbidden.status());
        assertStartsWith(forbidden.contentType(), "application/problem+json");
        assertEquals(403, get("/v1/organizations/" + org + "/invitations", bob).status());
        assertEquals(403, call("PATCH", members + "/" + bobId, bob, "{\"role\":\"admin\"}").status());
        assertEquals(403, call("DELETE", members + "/" + bobId, bob, null).status());
        assertEquals(403, call("PATCH", "/v1/organizations/" + org, bob, "{\"name\":\"mine now\"}").status());

        String alice = newMember(org, "alice@it.example", "admin");
        Reply carol = invite(org, alice, "carol@it.example", "member");
        assertEquals(201, carol.status());
        assertEquals(403, invite(org, alice, "dan@it.example", "owner").status());
        String carolId = carol.json().path("invitation").path("id").asText();
        JsonNode listed = get("/v1/organizations/" + org + "/invitations", alice).json().path("items");
        assertContains(listed.toString(), carolId);
        assertNotContains(listed.toString(), carol.json().path("acceptToken").asText());
        assertEquals(204, call("DELETE", "/v1/organizations/" + org + "/invitations/" + carolId, alice, null).status());
        Reply revoked = accept(carol.json().path("acceptToken").asText(), null);
        assertEquals(revoked.body(), 409, revoked.status());
        assertEquals("token", revoked.json().path("errors").path(0).path("field").asText());

        Reply again = invite(org, OWNER_TOKEN, "bob@it.example", "member");
        assertEquals(409, again.status());
        assertEquals("email", again.json().path("errors").path(0).path("field").asText());
        Reply badRole = invite(org, OWNER_TOKEN, "eve@it.example", "king");
        assertEquals(422, badRole.status());
        assertEquals("role", badRole.json().path("errors").path(0).path("field").asText());
        Reply badEmail = invite(org, OWNER_TOKEN, "eve", "member");
        assertEquals(422, badEmail.status());
        assertEquals("email", badEmail.json().path("errors").path(0).path("field").asText());
        Reply unknownField = post(members, OWNER_TOKEN, "{\"email\":\"e@it.example\",\"admin\":true}");
        assertEquals(400, unknownField.status());
        assertEquals("admin", unknownField.json().path("errors").path(0).path("field").asText());
        Reply noToken = post("/v1/invitations/accept", null, "{}");
        assertEquals(noToken.body(), 422, noToken.status());
        assertEquals("token", noToken.json().path("errors").path(0).path("field").asText());
        assertEquals(404, accept("dfi_not-a-real-token", null).status());
        assertEquals(401, accept("dfi_not-a-real-token", "dft_not-a-real-token").status());
    }

    @Test
    public void anExistingUserJoinsAnotherOrganizationOnlyByAcceptingSignedIn() {
        awaitHealthy();
        String org = ownerOrganization();
        String grace = newMember(org, "grace@it.example", "member");
        String heidi = newMember(org, "heidi@it.example", "member");
        String graceOwn = access.createTokenFor("grace@it.example", "personal").secret();
        String second = post("/v1/organizations", OWNER_TOKEN, "{\"name\":\"Second Corp\"}").json().path("id").asText();
        String third = post("/v1/organizations", OWNER_TOKEN, "{\"name\":\"Third Corp\"}").json().path("id").asText();

        // With the accept token: not without signing in, not as someone else; as grace, even with her token that
        // only works in the first organization (she then gets one for the second).
        String acceptToken = invite(second, OWNER_TOKEN, "grace@it.example", "admin").json().path("acceptToken").asText();
        Reply anonymous = accept(acceptToken, null);
        assertEquals(anonymous.body(), 401, anonymous.status());
        assertStartsWith(anonymous.contentType(), "application/problem+json");
        assertEquals(403, accept(acceptToken, heidi).status());
        assertEquals(403, accept(acceptToken, OWNER_TOKEN).status());
        assertEquals(404, get("/v1/organizations/" + second, graceOwn).status());
        Reply joined = accept(acceptToken, grace);
        assertEquals(joined.body(), 200, joined.status());
        assertEquals("admin", joined.json().path("organization").path("role").asText());
        String graceInSecond = joined.json().path("token").path("token").asText();
        assertEquals("admin", get("/v1/organizations/" + second, graceInSecond).json().path("role").asText());
        assertEquals(404, get("/v1/organizations/" + second, grace).status());
        assertEquals("admin", get("/v1/organizations/" + second, graceOwn).json().path("role").asText());

        // Signed in with her own token, she sees her invitations and answers them without any accept token.
        invite(third, OWNER_TOKEN, "grace@it.example", "member");
        JsonNode mine = get("/v1/me/invitations", graceOwn).json().path("items");
        assertEquals(mine.toString(), 1, mine.size());
        assertEquals("Third Corp", mine.path(0).path("organizationName").asText());
        assertEquals(0, get("/v1/me/invitations", grace).json().path("items").size());
        String id = mine.path(0).path("id").asText();
        assertEquals(404, post("/v1/invitations/" + id + "/accept", heidi, null).status());
        Reply fromList = post("/v1/invitations/" + id + "/accept", graceOwn, null);
        assertEquals(fromList.body(), 200, fromList.status());
        assertTrue(fromList.json().path("token").isNull());
        assertEquals("member", get("/v1/organizations/" + third, graceOwn).json().path("role").asText());
        assertEquals(409, post("/v1/invitations/" + id + "/decline", graceOwn, null).status());
        assertEquals(0, get("/v1/me/invitations", graceOwn).json().path("items").size());
    }

    @Test
    public void anotherOrganizationsOwnerGets404OnEveryObjectOfTheFirst() {
        awaitHealthy();
        String org = ownerOrganization();
        String frank = newMember(org, "frank@it.example", "member");
        String memberId = get("/v1/me", frank).json().path("id").asText();
        String invitationId = invite(org, OWNER_TOKEN, "ivan@it.example", "member").json().path("invitation").path("id")
                .asText();

        Organization other = organizations.create(Principal.SYSTEM, "Other Corp");
        invitations.acceptWithToken(Optional.empty(),
                invitations.invite(Principal.SYSTEM, other.id(), "mallory@it.example", Role.OWNER).acceptToken());
        String mallory = access.createTokenFor("mallory@it.example", "it").secret();

        String base = "/v1/organizations/" + org;
        for (Reply r : List.of(get(base, mallory), get(base + "/members", mallory),
                call("PATCH", base, mallory, "{\"name\":\"taken\"}"),
                invite(org, mallory, "spy@it.example", "owner"),
                call("PATCH", base + "/members/" + memberId, mallory, "{\"role\":\"owner\"}"),
                call("DELETE", base + "/members/" + memberId, mallory, null),
                get(base + "/invitations", mallory),
                call("DELETE", base + "/invitations/" + invitationId, mallory, null),
                call("DELETE", "/v1/organizations/" + other.id() + "/invitations/" + invitationId, mallory, null),
                post("/v1/invitations/" + invitationId + "/accept", mallory, null))) {
            assertEquals(r.body(), 404, r.status());
            assertNotContains(r.body(), "frank");
            assertNotContains(r.body(), "ivan");
        }
        JsonNode mine = get("/v1/organizations", mallory).json().path("items");
        assertEquals(1, mine.size());
        assertEquals(other.id(), mine.path(0).path("id").asText());
        assertEquals(404, get("/v1/organizations/" + other.id(), OWNER_TOKEN).status());
    }

    @Test
    public void secretsAreEncryptedAtRestAndBoundToTheirRow() throws Exception {
        awaitHealthy();
        String org = ownerOrganization();
        String plaintext = "twilio-auth-token-0123456789abcdef";
        vault.put(org, "it-record-1", "authToken", plaintext);
        assertEquals(plaintext, vault.get(org, "it-record-1", "authToken").orElseThrow());

        String stored = rawCiphertext(org, "it-record-1");
        assertNotContains(stored, plaintext);
        assertStartsWith(stored, "df2:" + vault.activeKeyId() + ":");

        // Flip one character of the sealed part: authentication fails.
        int i = stored.length() - 5;
        String tampered = stored.substring(0, i) + (stored.charAt(i) == 'A' ? 'B' : 'A') + stored.substring(i + 1);
        writeCiphertext(org, "it-record-1", tampered);
        assertThrows(IllegalStateException.class, () -> vault.get(org, "it-record-1", "authToken"));
        writeCiphertext(org, "it-record-1", stored);
        assertEquals(plaintext, vault.get(org, "it-record-1", "authToken").orElseThrow());

        // The same ciphertext moved to another record does not decrypt there.
        vault.put(org, "it-record-2", "authToken", "something else");
        writeCiphertext(org, "it-record-2", stored);
        assertThrows(IllegalStateException.class, () -> vault.get(org, "it-record-2", "authToken"));
    }

    @Test
    public void connectorTypesAppearAndDisappearLive() {
        awaitHealthy();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ActionHandler.TYPE, "it.echo");
        ServiceRegistration<ActionHandler> reg = bundleContext.registerService(ActionHandler.class, new EchoAction(), props);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> actionTypes().contains("it.echo"));
            JsonNode echo = get("/v1/connectors", OWNER_TOKEN).json().path("actions").path(0);
            assertEquals("action", echo.path("kind").asText());
            assertEquals("message", echo.path("parameters").path(0).path("name").asText());
            assertTrue(echo.path("parameters").path(0).path("templatable").asBoolean());
        } finally {
            reg.unregister();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !actionTypes().contains("it.echo"));
    }

    @Test
    public void consoleCommandsManageOrganizationsTokensAndKeys() throws Exception {
        awaitHealthy();
        String org = ownerOrganization();
        assertContains(console("dooneflow:org-list"), org);
        String created = console("dooneflow:org-create \"Console Corp\"");
        assertContains(created, "Created organization Console Corp");
        String added = console("dooneflow:member-add " + org + " zed@it.example admin");
        assertContains(added, "Accept token (shown once; pass it on to zed@it.example): dfi_");
        assertNotContains(console("dooneflow:member-list " + org), "zed@it.example");
        assertContains(console("dooneflow:invitation-list " + org), "zed@it.example");
        String acceptToken = added.replaceAll("(?s).*\\): (dfi_\\S+).*", "$1").trim();
        Reply zed = accept(acceptToken, null);
        assertEquals(zed.body(), 200, zed.status());
        assertContains(console("dooneflow:member-list " + org), "zed@it.example");
        String revoked = console("dooneflow:member-add " + org + " yan@it.example member");
        String yanInvitation = revoked.replaceAll("(?s).*\\(invitation (\\S+), valid until.*", "$1").trim();
        assertContains(console("dooneflow:invitation-revoke " + org + " " + yanInvitation), "Revoked invitation");
        assertEquals(409, accept(revoked.replaceAll("(?s).*\\): (dfi_\\S+).*", "$1").trim(), null).status());

        String token = console("dooneflow:token-create owner@it.example ci").replaceAll("(?s).*shown once\\): (\\S+).*", "$1").trim();
        assertEquals(200, get("/v1/me", token).status());
        String tokenId = get("/v1/me", token).json().path("tokenId").asText();
        console("dooneflow:token-revoke " + tokenId);
        assertEquals(401, get("/v1/me", token).status());

        vault.put(org, "it-rotate", "secret", "before rotation");
        String oldKey = vault.activeKeyId();
        String rotated = console("dooneflow:key-rotate");
        assertContains(rotated, "secrets re-encrypted");
        assertTrue(!vault.activeKeyId().equals(oldKey));
        assertStartsWith(rawCiphertext(org, "it-rotate"), "df2:" + vault.activeKeyId() + ":");
        assertEquals("before rotation", vault.get(org, "it-rotate", "secret").orElseThrow());

        // A chosen key comes from a file, so it never reaches the shell history or the log.
        byte[] chosen = new byte[32];
        new SecureRandom().nextBytes(chosen);
        String key = Base64.getEncoder().encodeToString(chosen);
        Path file = Files.createTempFile("it-master", ".key");
        Files.writeString(file, key + "\n");
        assertContains(console("dooneflow:key-rotate --master-key-file " + file), "data keys re-wrapped");
        assertEquals("before rotation", vault.get(org, "it-rotate", "secret").orElseThrow());
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        assertNotContains(Files.readString(log), key);
        assertNotContains(Files.readString(log), key.substring(0, 16));
    }

    // ---- helpers ----

    private String ownerOrganization() {
        return get("/v1/me", OWNER_TOKEN).json().path("organizations").path(0).path("id").asText();
    }

    private List<String> actionTypes() {
        List<String> types = new ArrayList<>();
        get("/v1/connectors", OWNER_TOKEN).json().path("actions").forEach(a -> types.add(a.path("type").asText()));
        return types;
    }

    private DataSource rawDatabase() throws Exception {
        Properties p = new Properties();
        p.put(DataSourceFactory.JDBC_URL, System.getProperty("dooneflow.it.db.url"));
        p.put(DataSourceFactory.JDBC_USER, "postgres");
        return postgres.createDataSource(p);
    }

    private String rawCiphertext(String org, String owner) throws Exception {
        try (Connection c = rawDatabase().getConnection();
             PreparedStatement q = c.prepareStatement("select ciphertext from df_secret where org_id = ? and owner_id = ?")) {
            q.setString(1, org);
            q.setString(2, owner);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue("secret row exists", rs.next());
                return rs.getString(1);
            }
        }
    }

    private void writeCiphertext(String org, String owner, String ciphertext) throws Exception {
        try (Connection c = rawDatabase().getConnection();
             PreparedStatement u = c.prepareStatement("update df_secret set ciphertext = ? where org_id = ? and owner_id = ?")) {
            u.setString(1, ciphertext);
            u.setString(2, org);
            u.setString(3, owner);
            assertEquals(1, u.executeUpdate());
        }
    }

    /** A connector as a bundle would register it. */
    static final class EchoAction implements ActionHandler {
        @Override
        public TypeDescriptor descriptor() {
            return new TypeDescriptor("it.echo", TypeDescriptor.Kind.ACTION, "Echo", "Returns its message",
                    List.of(ParameterDescriptor.of("message", "Message", ParameterType.TEXT).asRequired().asTemplatable()));
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return ActionResult.ok(Map.of("echo", context.params().get("message")));
        }
    }

}
