package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Nested;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.ApiToken;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.testing.contract.OrganizationServiceContract;

/**
 * OrganizationServiceImpl and AccessServiceImpl: who sees and may change what (the {@link OrganizationServiceContract}
 * on both databases), and the tokens that say who is who.
 */
class OrganizationAndAccessTest extends DatabaseTestBase {

    @Nested
    class OnH2 extends OrganizationServiceContract {
        @Override
        protected OrganizationService service() {
            return new OrganizationServiceImpl(db(DbKind.H2));
        }

        @Override
        protected Principal newUser(String name) {
            return OrganizationAndAccessTest.this.newUser(DbKind.H2, name);
        }

        @Override
        protected void addMember(String orgId, Principal user, Role role) {
            OrganizationAndAccessTest.this.addMember(DbKind.H2, orgId, user, role);
        }
    }

    @Nested
    class OnPostgres extends OrganizationServiceContract {
        @Override
        protected OrganizationService service() {
            return new OrganizationServiceImpl(db(DbKind.POSTGRES));
        }

        @Override
        protected Principal newUser(String name) {
            return OrganizationAndAccessTest.this.newUser(DbKind.POSTGRES, name);
        }

        @Override
        protected void addMember(String orgId, Principal user, Role role) {
            OrganizationAndAccessTest.this.addMember(DbKind.POSTGRES, orgId, user, role);
        }
    }

    @OnBothDatabases
    void removingAMemberRevokesTheirOrganizationTokensOnly(DbKind kind) {
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        InvitationServiceImpl invitations = new InvitationServiceImpl(db(kind));
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");
        Organization org = orgs.create(alice, "Acme");
        String email = uniqueEmail("bob");
        AcceptedInvitation bob = invitations.acceptWithToken(Optional.empty(),
                invitations.invite(alice, org.id(), email, Role.MEMBER).acceptToken());
        IssuedToken personal = access.createTokenFor(email, "personal");
        assertThat(access.authenticate(bob.token().secret())).isPresent();

        orgs.removeMember(alice, org.id(), bob.member().userId());

        assertThat(access.authenticate(bob.token().secret())).isEmpty();
        assertThat(access.authenticate(personal.secret())).isPresent();
        assertThat(orgs.members(alice, org.id())).extracting(Member::userId).containsExactly(alice.userId());
    }

    @OnBothDatabases
    void aUserCreatesListsAndRevokesTheirOwnTokens(DbKind kind) {
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");

        IssuedToken issued = access.createToken(alice, "ci");

        assertThat(issued.secret()).startsWith("dft_");
        Principal caller = access.authenticate(issued.secret()).orElseThrow();
        assertThat(caller.userId()).isEqualTo(alice.userId());
        assertThat(caller.tokenId()).isEqualTo(issued.token().id());
        assertThat(caller.scopeOrganizationId()).isNull();
        assertThat(access.listTokens(alice)).extracting(ApiToken::id, ApiToken::name)
                .containsExactly(tuple(issued.token().id(), "ci"));

        access.revokeToken(alice, issued.token().id());

        assertThat(access.authenticate(issued.secret())).isEmpty();
        assertThat(access.listTokens(alice)).isEmpty();
        assertThatThrownBy(() -> access.revokeToken(alice, issued.token().id())).isInstanceOf(NotFoundException.class);
    }

    @OnBothDatabases
    void anotherUsersTokenIsNotFound(DbKind kind) {
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");
        Principal mallory = newUser(kind, "mallory");
        IssuedToken alices = access.createToken(alice, "laptop");

        assertThatThrownBy(() -> access.revokeToken(mallory, alices.token().id())).isInstanceOf(NotFoundException.class);
        assertThat(access.listTokens(mallory)).isEmpty();
        assertThat(access.authenticate(alices.secret())).as("still valid").isPresent();
    }

    @OnBothDatabases
    void onlyAHashOfTheTokenIsStored(DbKind kind) {
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        IssuedToken issued = access.createToken(newUser(kind, "alice"), "ci");

        Map<String, Object> row = on(kind).queryRow("select * from df_api_token where id = ?", issued.token().id());

        assertThat(row.get("token_hash")).isEqualTo(Ids.sha256Hex(issued.secret()));
        assertThat(row.values()).allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(issued.secret()));
        assertThat(issued.secret()).startsWith((String) row.get("prefix")).isNotEqualTo(row.get("prefix"));
        assertThat(access.authenticate(issued.secret() + "x")).isEmpty();
        assertThat(access.authenticate((String) row.get("token_hash"))).as("the hash is no token").isEmpty();
    }

    private Principal newUser(DbKind kind, String name) {
        String id = newId();
        String email = uniqueEmail(name).toLowerCase();
        db(kind).run(em -> em.persist(new UserEntity(id, email, OrganizationServiceImpl.now())));
        return Principal.user(id, email, null, null);
    }

    /** Makes the user a member of the organization with the role, as if they had accepted an invitation. */
    private void addMember(DbKind kind, String orgId, Principal user, Role role) {
        db(kind).run(em -> em.persist(new MembershipEntity(orgId, user.userId(), role.name(), OrganizationServiceImpl.now())));
    }

    private static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
