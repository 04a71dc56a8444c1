package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.UUID;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;

/**
 * The contract of {@link OrganizationService}: the creator of an organization owns it; an organization the caller
 * is not a member of (or that the caller's token is not scoped to) is not found, whatever else is wrong with the
 * request; a member may look but not manage; only owners grant or take away ownership; the last owner stays;
 * {@link Principal#SYSTEM} sees and manages every organization, with no role of its own in listings.
 */
public abstract class OrganizationServiceContract {

    /** The service under test. It may be shared by the tests: each creates organizations of its own. */
    protected abstract OrganizationService service();

    /** A new user the platform knows, a member of no organization, with a personal (unscoped) token. */
    protected abstract Principal newUser(String name);

    /** Makes {@code user} a member of the organization with {@code role}, as accepting an invitation does. */
    protected abstract void addMember(String orgId, Principal user, Role role);

    @Test
    public void theCreatorOwnsTheNewOrganization() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");

        Organization org = orgs.create(alice, "  Acme  ");

        assertThat(org.name()).isEqualTo("Acme");
        assertThat(org.role()).isEqualTo(Role.OWNER);
        assertThat(org.createdAt()).isNotNull();
        assertThat(orgs.get(alice, org.id())).isEqualTo(org);
        assertThat(orgs.members(alice, org.id())).extracting(Member::userId, Member::email, Member::role)
                .containsExactly(tuple(alice.userId(), alice.email(), Role.OWNER));
        assertThat(orgs.list(alice)).extracting(Organization::id).containsExactly(org.id());
        assertThat(orgs.rename(alice, org.id(), " Acme Inc ").name()).isEqualTo("Acme Inc");
        assertThat(orgs.get(alice, org.id()).name()).isEqualTo("Acme Inc");
    }

    @Test
    public void aBlankOrOverlongNameIsAnErrorOnTheNameField() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization org = orgs.create(alice, "Acme");

        assertNameRefused(() -> orgs.create(alice, "   "));
        assertNameRefused(() -> orgs.create(alice, null));
        assertNameRefused(() -> orgs.create(alice, "x".repeat(201)));
        assertNameRefused(() -> orgs.rename(alice, org.id(), ""));
        assertThat(orgs.create(alice, "x".repeat(200)).name()).hasSize(200);
    }

    @Test
    public void aStrangerIsToldTheOrganizationDoesNotExist() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization org = orgs.create(alice, "Acme");
        Principal mallory = newUser("mallory");

        assertNotFound(() -> orgs.get(mallory, org.id()));
        assertNotFound(() -> orgs.members(mallory, org.id()));
        assertNotFound(() -> orgs.requireRole(mallory, org.id(), false));
        assertNotFound(() -> orgs.rename(mallory, org.id(), "Mine"));
        assertNotFound(() -> orgs.rename(mallory, org.id(), "   ")); // no 422 that would confirm the organization
        assertNotFound(() -> orgs.changeRole(mallory, org.id(), mallory.userId(), Role.OWNER));
        assertNotFound(() -> orgs.removeMember(mallory, org.id(), alice.userId()));
        assertThat(orgs.list(mallory)).isEmpty();
    }

    @Test
    public void anOrganizationThatDoesNotExistIsNotFoundEvenForTheSystem() {
        OrganizationService orgs = service();
        String unknown = UUID.randomUUID().toString();

        assertNotFound(() -> orgs.get(newUser("alice"), unknown));
        assertNotFound(() -> orgs.get(Principal.SYSTEM, unknown));
        assertNotFound(() -> orgs.requireRole(Principal.SYSTEM, unknown, true));
        assertNotFound(() -> orgs.requireRole(Principal.SYSTEM, null, false));
    }

    @Test
    public void aMemberMayLookButNotManage() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization org = orgs.create(alice, "Acme");
        Principal bob = newUser("bob");
        addMember(org.id(), bob, Role.MEMBER);

        assertThat(orgs.get(bob, org.id()).role()).isEqualTo(Role.MEMBER);
        assertThat(orgs.requireRole(bob, org.id(), false)).isEqualTo(Role.MEMBER);
        assertThat(orgs.list(bob)).extracting(Organization::id, Organization::role)
                .containsExactly(tuple(org.id(), Role.MEMBER));
        assertThat(orgs.members(bob, org.id())).extracting(Member::userId)
                .containsExactlyInAnyOrder(alice.userId(), bob.userId());
        assertForbidden(() -> orgs.requireRole(bob, org.id(), true));
        assertForbidden(() -> orgs.rename(bob, org.id(), "Mine"));
        assertForbidden(() -> orgs.changeRole(bob, org.id(), bob.userId(), Role.ADMIN));
        assertForbidden(() -> orgs.removeMember(bob, org.id(), alice.userId()));
    }

    @Test
    public void anAdminManagesMembersButNotOwners() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization org = orgs.create(alice, "Acme");
        Principal carol = newUser("carol");
        Principal dave = newUser("dave");
        addMember(org.id(), carol, Role.ADMIN);
        addMember(org.id(), dave, Role.MEMBER);

        assertThat(orgs.requireRole(carol, org.id(), true)).isEqualTo(Role.ADMIN);
        assertForbidden(() -> orgs.changeRole(carol, org.id(), alice.userId(), Role.ADMIN));
        assertForbidden(() -> orgs.removeMember(carol, org.id(), alice.userId()));
        assertForbidden(() -> orgs.changeRole(carol, org.id(), carol.userId(), Role.OWNER));
        assertForbidden(() -> orgs.changeRole(carol, org.id(), dave.userId(), Role.OWNER));

        Member promoted = orgs.changeRole(carol, org.id(), dave.userId(), Role.ADMIN);
        assertThat(promoted).extracting(Member::userId, Member::email, Member::role)
                .containsExactly(dave.userId(), dave.email(), Role.ADMIN);
        assertThat(orgs.rename(carol, org.id(), "Acme Inc").role()).isEqualTo(Role.ADMIN);
        orgs.removeMember(carol, org.id(), dave.userId());
        assertThat(orgs.members(alice, org.id())).extracting(Member::userId)
                .containsExactlyInAnyOrder(alice.userId(), carol.userId());
        assertNotFound(() -> orgs.get(dave, org.id()));
    }

    @Test
    public void anOwnerHandsOutOwnershipAndTheLastOwnerStays() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization org = orgs.create(alice, "Acme");
        Principal bob = newUser("bob");
        addMember(org.id(), bob, Role.MEMBER);

        assertThatThrownBy(() -> orgs.changeRole(alice, org.id(), alice.userId(), Role.ADMIN))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> orgs.removeMember(alice, org.id(), alice.userId()))
                .isInstanceOf(ConflictException.class);

        assertThat(orgs.changeRole(alice, org.id(), bob.userId(), Role.OWNER).role()).isEqualTo(Role.OWNER);
        assertThat(orgs.changeRole(bob, org.id(), alice.userId(), Role.MEMBER).role()).isEqualTo(Role.MEMBER);
        assertThatThrownBy(() -> orgs.changeRole(bob, org.id(), bob.userId(), Role.MEMBER))
                .as("bob is the last owner now").isInstanceOf(ConflictException.class);
        assertThat(orgs.requireRole(alice, org.id(), false)).isEqualTo(Role.MEMBER);
    }

    @Test
    public void aMissingRoleOrMemberIsReportedAsSuch() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization org = orgs.create(alice, "Acme");

        assertThatThrownBy(() -> orgs.changeRole(alice, org.id(), alice.userId(), null))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field)
                        .containsExactly("role"));
        assertNotFound(() -> orgs.changeRole(alice, org.id(), newUser("stranger").userId(), Role.ADMIN));
        assertNotFound(() -> orgs.removeMember(alice, org.id(), UUID.randomUUID().toString()));
    }

    @Test
    public void aTokenScopedToOneOrganizationSeesOnlyThatOneAndCreatesNone() {
        OrganizationService orgs = service();
        Principal alice = newUser("alice");
        Organization acme = orgs.create(alice, "Acme");
        Organization other = orgs.create(alice, "Other");
        Principal scoped = Principal.user(alice.userId(), alice.email(), "scoped-token", other.id());

        assertThat(orgs.list(scoped)).extracting(Organization::id).containsExactly(other.id());
        assertThat(orgs.list(alice)).extracting(Organization::id).containsExactlyInAnyOrder(acme.id(), other.id());
        assertNotFound(() -> orgs.get(scoped, acme.id()));
        assertNotFound(() -> orgs.requireRole(scoped, acme.id(), false));
        assertThat(orgs.requireRole(scoped, other.id(), true)).isEqualTo(Role.OWNER);
        assertForbidden(() -> orgs.create(scoped, "New"));
    }

    @Test
    public void theSystemSeesAndManagesEveryOrganizationWithNoRoleOfItsOwn() {
        OrganizationService orgs = service();
        Organization org = orgs.create(newUser("alice"), "Acme");
        Organization bySystem = orgs.create(Principal.SYSTEM, "Made by the administrator");

        assertThat(bySystem.role()).isNull();
        assertThat(orgs.members(Principal.SYSTEM, bySystem.id())).isEmpty();
        assertThat(orgs.list(Principal.SYSTEM)).extracting(Organization::id, Organization::role)
                .contains(tuple(org.id(), null), tuple(bySystem.id(), null));
        assertThat(orgs.get(Principal.SYSTEM, org.id()).role()).isNull();
        assertThat(orgs.requireRole(Principal.SYSTEM, org.id(), true)).isEqualTo(Role.OWNER);
        assertThat(orgs.rename(Principal.SYSTEM, org.id(), "Renamed").name()).isEqualTo("Renamed");
    }

    private static void assertNameRefused(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field)
                        .containsExactly("name"));
    }

    private static void assertNotFound(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(NotFoundException.class);
    }

    private static void assertForbidden(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ForbiddenException.class);
    }
}
