package com.dooneflow.rest.internal;

import static com.dooneflow.rest.internal.TestProxies.proxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.AccessService;
import com.dooneflow.api.ApiToken;
import com.dooneflow.api.AuthenticationRequiredException;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Member;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The invitation endpoints as JAX-RS calls them: what reaches the service, the JSON that goes back, and who may call
 * {@code POST /v1/invitations/accept} with or without a bearer token.
 */
class InvitationResourceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Principal BOB = Principal.user("bob-id", "bob@example.com", "bob-token-id", null);

    private final RecordingInvitations invitations = new RecordingInvitations();

    @Test
    void addingAMemberAnswersAnInvitationAndItsAcceptTokenOnly() throws Exception {
        OrganizationResource resource = new OrganizationResource(managing(), invitations);

        Response response = resource.addMember(new Caller(BOB), "org-1", new Dto.AddMemberBody("ann@example.com", "admin"));

        assertThat(response.getStatus()).isEqualTo(201);
        JsonNode body = json(response.getEntity());
        assertThat(fieldNames(body)).containsExactly("acceptToken", "emailed", "invitation");
        assertThat(fieldNames(body.path("invitation"))).containsExactlyInAnyOrder("id", "organizationId",
                "organizationName", "email", "role", "status", "invitedBy", "createdAt", "expiresAt");
        assertThat(body.path("invitation").path("status").asText()).isEqualTo("pending");
        assertThat(body.path("invitation").path("role").asText()).isEqualTo("admin");
        assertThat(body.path("invitation").path("expiresAt").asText()).isEqualTo("2026-03-08T10:00:00Z");
        assertThat(body.path("acceptToken").asText()).isEqualTo("dfi_secret");
        assertThat(invitations.calls).containsExactly("invite bob@example.com org-1 ann@example.com ADMIN");
    }

    @Test
    void aRoleThatIsNoRoleIsRefusedNamingTheFieldBeforeAnyoneIsInvited() {
        OrganizationResource resource = new OrganizationResource(managing(), invitations);

        assertThatThrownBy(() -> resource.addMember(new Caller(BOB), "org-1", new Dto.AddMemberBody("ann@example.com", "king")))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("role"));
        assertThat(invitations.calls).isEmpty();
    }

    @Test
    void theOrganizationsInvitationsAreListedAndRevoked() throws Exception {
        OrganizationResource resource = new OrganizationResource(managing(), invitations);

        JsonNode list = json(resource.invitations(new Caller(BOB), "org-1"));
        Response revoked = resource.revokeInvitation(new Caller(BOB), "org-1", "inv-1");

        assertThat(list.path("items")).hasSize(1);
        assertThat(list.path("nextCursor").isNull()).isTrue();
        assertThat(revoked.getStatus()).isEqualTo(204);
        assertThat(invitations.calls).containsExactly("list bob@example.com org-1", "revoke bob@example.com org-1 inv-1");
    }

    @Test
    void acceptingWithTheTokenAloneReachesTheServiceWithoutACallerAndShowsTheNewTokenOnce() throws Exception {
        InvitationResource resource = new InvitationResource(invitations);

        JsonNode anonymous = json(resource.acceptWithToken(null, new Dto.AcceptInvitationBody("dfi_secret")));
        JsonNode signedIn = json(resource.acceptWithToken(new Caller(BOB), new Dto.AcceptInvitationBody("dfi_secret")));

        assertThat(invitations.calls).containsExactly("acceptWithToken nobody dfi_secret",
                "acceptWithToken bob@example.com dfi_secret");
        assertThat(fieldNames(anonymous)).containsExactly("member", "organization", "token");
        assertThat(anonymous.path("token").path("token").asText()).isEqualTo("dft_first");
        assertThat(anonymous.path("token").path("organizationId").asText()).isEqualTo("org-1");
        assertThat(anonymous.path("organization").path("role").asText()).isEqualTo("member");
        assertThat(signedIn.path("token").isNull()).as("an existing user keeps their own tokens").isTrue();
        assertThat(signedIn.path("member").path("userId").asText()).isEqualTo("bob-id");
    }

    @Test
    void theSignedInUserListsAcceptsAndDeclinesTheirOwn() throws Exception {
        InvitationResource resource = new InvitationResource(invitations);
        MeResource me = new MeResource(unused(AccessService.class), unused(OrganizationService.class), invitations);

        JsonNode mine = json(me.invitations(new Caller(BOB)));
        JsonNode accepted = json(resource.accept(new Caller(BOB), "inv-1"));
        Response declined = resource.decline(new Caller(BOB), "inv-2");

        assertThat(mine.path("items").path(0).path("organizationName").asText()).isEqualTo("Acme");
        assertThat(accepted.path("member").path("email").asText()).isEqualTo("bob@example.com");
        assertThat(declined.getStatus()).isEqualTo(204);
        assertThat(invitations.calls).containsExactly("mine bob@example.com", "accept bob@example.com inv-1",
                "decline bob@example.com inv-2");
    }

    @Test
    void acceptWithTokenMayComeWithoutABearerTokenButNotWithAnUnknownOne() throws Exception {
        Method acceptWithToken = InvitationResource.class.getMethod("acceptWithToken", SecurityContext.class,
                Dto.AcceptInvitationBody.class);
        AuthFilter filter = filter(acceptWithToken);

        Request anonymous = new Request(null);
        filter.filter(anonymous.context());
        assertThat(anonymous.aborted).isNull();
        assertThat(anonymous.securityContext).isNull();

        Request signedIn = new Request("Bearer dft_bob");
        filter.filter(signedIn.context());
        assertThat(signedIn.aborted).isNull();
        assertThat(Caller.optional(signedIn.securityContext)).contains(BOB);

        for (String header : List.of("Bearer dft_unknown", "Basic Ym9iOnNlY3JldA==")) {
            Request refused = new Request(header);
            filter.filter(refused.context());
            assertThat(refused.aborted.getStatus()).as(header).isEqualTo(401);
            assertThat(refused.aborted.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
            assertThat(refused.securityContext).isNull();
        }
    }

    @Test
    void everyOtherInvitationEndpointNeedsTheBearerToken() throws Exception {
        for (Method m : List.of(InvitationResource.class.getMethod("accept", SecurityContext.class, String.class),
                InvitationResource.class.getMethod("decline", SecurityContext.class, String.class),
                MeResource.class.getMethod("invitations", SecurityContext.class),
                OrganizationResource.class.getMethod("invitations", SecurityContext.class, String.class))) {
            Request anonymous = new Request(null);
            filter(m).filter(anonymous.context());
            assertThat(anonymous.aborted).as(m.getName()).isNotNull();
            assertThat(anonymous.aborted.getStatus()).isEqualTo(401);
        }
    }

    @Test
    void anExistingAccountWithoutItsTokenIsAskedToAuthenticate() throws Exception {
        Response r = new ProblemMapper().toResponse(new AuthenticationRequiredException("sign in as that account"));

        assertThat(r.getStatus()).isEqualTo(401);
        assertThat(String.valueOf(r.getMediaType())).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(r.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"dooneflow\"");
        assertThat(Json.MAPPER.readTree((String) r.getEntity()).path("detail").asText()).isEqualTo("sign in as that account");
    }

    // ---- helpers ----

    private static JsonNode json(Object entity) throws Exception {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(entity));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The filter as the whiteboard runs it before {@code method}, with an AccessService that knows bob's token. */
    private static AuthFilter filter(Method method) {
        AccessService access = proxy(AccessService.class, (name, args) -> {
            if (name.equals("authenticate")) {
                return "dft_bob".equals(args[0]) ? Optional.of(BOB) : Optional.empty();
            }
            throw new UnsupportedOperationException(name);
        });
        AuthFilter filter = new AuthFilter(access, 20, java.time.Clock.systemUTC(), message -> { });
        filter.resourceInfo = proxy(ResourceInfo.class, (name, args) -> switch (name) {
            case "getResourceMethod" -> method;
            case "getResourceClass" -> method.getDeclaringClass();
            default -> throw new UnsupportedOperationException(name);
        });
        return filter;
    }

    /** A request with an optional Authorization header; records what the filter did to it. */
    private static final class Request {
        final String authorization;
        Response aborted;
        SecurityContext securityContext;

        Request(String authorization) {
            this.authorization = authorization;
        }

        ContainerRequestContext context() {
            return proxy(ContainerRequestContext.class, (name, args) -> switch (name) {
                case "getHeaderString" -> HttpHeaders.AUTHORIZATION.equals(args[0]) ? authorization : null;
                case "abortWith" -> {
                    aborted = (Response) args[0];
                    yield null;
                }
                case "setSecurityContext" -> {
                    securityContext = (SecurityContext) args[0];
                    yield null;
                }
                default -> throw new UnsupportedOperationException(name);
            });
        }
    }

    /** Organizations where the caller may manage, the one thing the resource asks before it reads the body. */
    private static OrganizationService managing() {
        return proxy(OrganizationService.class, (name, args) -> {
            if (name.equals("requireRole")) {
                return Role.OWNER;
            }
            throw new UnsupportedOperationException(name);
        });
    }

    private static <T> T unused(Class<T> type) {
        return proxy(type, (name, args) -> {
            throw new UnsupportedOperationException(name);
        });
    }

    /** Canned answers; records each call as "method caller arguments". */
    private static final class RecordingInvitations implements InvitationService {
        final List<String> calls = new ArrayList<>();

        private static Invitation invitation(String id, Role role) {
            return new Invitation(id, "org-1", "Acme", "ann@example.com", role, InvitationStatus.PENDING,
                    "bob@example.com", NOW, NOW.plusSeconds(7 * 24 * 3600));
        }

        private static AcceptedInvitation accepted(Principal caller, IssuedToken token) {
            String userId = caller == null ? "new-id" : caller.userId();
            String email = caller == null ? "ann@example.com" : caller.email();
            return new AcceptedInvitation(new Organization("org-1", "Acme", NOW, Role.MEMBER),
                    new Member(userId, email, Role.MEMBER, NOW), token);
        }

        @Override
        public IssuedInvitation invite(Principal caller, String orgId, String email, Role role) {
            calls.add("invite " + caller.email() + " " + orgId + " " + email + " " + role);
            return new IssuedInvitation(invitation("inv-1", role), "dfi_secret");
        }

        @Override
        public List<Invitation> list(Principal caller, String orgId) {
            calls.add("list " + caller.email() + " " + orgId);
            return List.of(invitation("inv-1", Role.MEMBER));
        }

        @Override
        public void revoke(Principal caller, String orgId, String invitationId) {
            calls.add("revoke " + caller.email() + " " + orgId + " " + invitationId);
        }

        @Override
        public List<Invitation> mine(Principal caller) {
            calls.add("mine " + caller.email());
            return List.of(invitation("inv-1", Role.MEMBER));
        }

        @Override
        public AcceptedInvitation acceptWithToken(Optional<Principal> caller, String acceptToken) {
            calls.add("acceptWithToken " + caller.map(Principal::email).orElse("nobody") + " " + acceptToken);
            IssuedToken first = new IssuedToken(new ApiToken("token-id", "issued when an invitation was accepted",
                    "dft_first", "org-1", NOW, null), "dft_first");
            return caller.isPresent() ? accepted(caller.get(), null) : accepted(null, first);
        }

        @Override
        public AcceptedInvitation acceptWithToken(Optional<Principal> caller, String acceptToken, String password) {
            AcceptedInvitation accepted = acceptWithToken(caller, acceptToken);
            if (password != null) {
                calls.add("with a password");
            }
            return accepted;
        }

        @Override
        public AcceptedInvitation accept(Principal caller, String invitationId) {
            calls.add("accept " + caller.email() + " " + invitationId);
            return accepted(caller, null);
        }

        @Override
        public void decline(Principal caller, String invitationId) {
            calls.add("decline " + caller.email() + " " + invitationId);
        }
    }
}
