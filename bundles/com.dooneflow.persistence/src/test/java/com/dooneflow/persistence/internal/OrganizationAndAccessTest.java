package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.ApiToken;
import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;

/** OrganizationServiceImpl and AccessServiceImpl: who sees and may change what, and the tokens that say who is who. */
class OrganizationAndAccessTest extends DatabaseTestBase {

    @OnBothDatabases
    void creatingAnOrganizationMakesTheCreatorItsOwner(DbKind kind) {
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");

        Organization org = orgs.create(alice, "  Acme  ");

        assertThat(org.name()).isEqualTo("Acme");
        assertThat(org.role()).isEqualTo(Role.OWNER);
        assertThat(orgs.get(alice, org.id()).role()).isEqualTo(Role.OWNER);
        assertThat(orgs.members(alice, org.id())).extracting(Member::userId, Member::role)
                .containsExactly(tuple(alice.userId(), Role.OWNER));
        assertThat(orgs.list(alice)).extracting(Organization::id).containsExactly(org.id());
    }

    @OnBothDatabases
    void aNonMemberIsToldTheOrganizationDoesNotExist(DbKind kind) {
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        Organization org = orgs.create(newUser(kind, "alice"), "Acme");
        Principal mallory = newUser(kind, "mallory");

        assertThatThrownBy(() -> orgs.get(mallory, org.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> orgs.members(mallory, org.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> orgs.changeRole(mallory, org.id(), mallory.userId(), Role.OWNER))
                .isInstanceOf(NotFoundException.class);
        assertThat(orgs.list(mallory)).isEmpty();
    }

    @OnBothDatabases
    void aMemberMayLookButNotManage(DbKind kind) {
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");
        Organization org = orgs.create(alice, "Acme");
        Principal bob = newMember(kind, org.id(), "bob", Role.MEMBER);

        assertThat(orgs.get(bob, org.id()).role()).isEqualTo(Role.MEMBER);
        assertThatThrownBy(() -> orgs.rename(bob, org.id(), "Mine")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> orgs.changeRole(bob, org.id(), bob.userId(), Role.ADMIN))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> orgs.removeMember(bob, org.id(), alice.userId()))
                .isInstanceOf(ForbiddenException.class);
        assertThat(orgs.members(alice, org.id())).hasSize(2);
    }

    @OnBothDatabases
    void anAdminManagesMembersButNotOwners(DbKind kind) {
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");
        Organization org = orgs.create(alice, "Acme");
        Principal carol = newMember(kind, org.id(), "carol", Role.ADMIN);

        assertThatThrownBy(() -> orgs.changeRole(carol, org.id(), alice.userId(), Role.ADMIN))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> orgs.removeMember(carol, org.id(), alice.userId()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> orgs.changeRole(carol, org.id(), carol.userId(), Role.OWNER))
                .isInstanceOf(ForbiddenException.class);

        Principal erin = newMember(kind, org.id(), "erin", Role.MEMBER);
        assertThat(orgs.changeRole(carol, org.id(), erin.userId(), Role.ADMIN).role()).isEqualTo(Role.ADMIN);
        assertThat(roleOf(orgs, alice, org.id(), alice.userId())).isEqualTo(Role.OWNER);
    }

    @OnBothDatabases
    void theLastOwnerCannotBeDemotedOrRemoved(DbKind kind) {
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");
        Organization org = orgs.create(alice, "Acme");

        assertThatThrownBy(() -> orgs.changeRole(alice, org.id(), alice.userId(), Role.ADMIN))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> orgs.removeMember(alice, org.id(), alice.userId()))
                .isInstanceOf(ConflictException.class);
        assertThat(roleOf(orgs, alice, org.id(), alice.userId())).isEqualTo(Role.OWNER);

        newMember(kind, org.id(), "bob", Role.OWNER);
        assertThat(orgs.changeRole(alice, org.id(), alice.userId(), Role.ADMIN).role())
                .as("with a second owner the first may step down").isEqualTo(Role.ADMIN);
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

    /** A user who is a member of the organization with the role, as if they had accepted an invitation. */
    private Principal newMember(DbKind kind, String orgId, String name, Role role) {
        Principal user = newUser(kind, name);
        db(kind).run(em -> em.persist(new MembershipEntity(orgId, user.userId(), role.name(), OrganizationServiceImpl.now())));
        return user;
    }

    private static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static Role roleOf(OrganizationServiceImpl orgs, Principal caller, String orgId, String userId) {
        return orgs.members(caller, orgId).stream().filter(m -> m.userId().equals(userId)).findFirst()
                .orElseThrow().role();
    }
}
