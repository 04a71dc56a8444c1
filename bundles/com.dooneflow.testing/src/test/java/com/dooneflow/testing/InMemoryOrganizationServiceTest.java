package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;

class InMemoryOrganizationServiceTest {

    final InMemoryOrganizationService organizations = new InMemoryOrganizationService()
            .grant("owner", "org-1", Role.OWNER).grant("admin", "org-1", Role.ADMIN)
            .grant("member", "org-1", Role.MEMBER).grant("other", "org-2", Role.OWNER);

    @Test
    void strangersFindNothingAndMembersMayNotManage() {
        assertThat(organizations.requireRole(Callers.user("owner"), "org-1", true)).isEqualTo(Role.OWNER);
        assertThat(organizations.requireRole(Callers.user("admin"), "org-1", true)).isEqualTo(Role.ADMIN);
        assertThat(organizations.requireRole(Callers.user("member"), "org-1", false)).isEqualTo(Role.MEMBER);
        assertThatThrownBy(() -> organizations.requireRole(Callers.user("member"), "org-1", true))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> organizations.requireRole(Callers.user("other"), "org-1", false))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> organizations.requireRole(Callers.user("owner"), "org-unknown", false))
                .isInstanceOf(NotFoundException.class);
        assertThat(organizations.requireRole(Principal.SYSTEM, "org-2", true)).isEqualTo(Role.OWNER);
    }

    @Test
    void aScopedTokenSeesOnlyItsOrganization() {
        organizations.grant("owner", "org-2", Role.MEMBER);
        Principal scoped = Principal.user("owner", "owner@example.com", "t", "org-2");

        assertThatThrownBy(() -> organizations.requireRole(scoped, "org-1", false)).isInstanceOf(NotFoundException.class);
        assertThat(organizations.list(scoped)).extracting(Organization::id).containsExactly("org-2");
        assertThat(organizations.list(Callers.user("owner"))).extracting(Organization::role)
                .containsExactly(Role.OWNER, Role.MEMBER);
        assertThatThrownBy(() -> organizations.create(scoped, "New")).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void onlyOwnersHandOutOwnershipAndTheLastOwnerStays() {
        Principal owner = Callers.user("owner");
        Principal admin = Callers.user("admin");
        organizations.grant("new", "org-1", Role.MEMBER);

        assertThatThrownBy(() -> organizations.changeRole(admin, "org-1", "new", Role.OWNER))
                .isInstanceOf(ForbiddenException.class);
        Member added = organizations.changeRole(admin, "org-1", "new", Role.ADMIN);
        assertThat(added.role()).isEqualTo(Role.ADMIN);
        assertThat(added.email()).isEqualTo("new@example.com");
        assertThatThrownBy(() -> organizations.changeRole(owner, "org-1", "owner", Role.ADMIN))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> organizations.removeMember(admin, "org-1", "owner"))
                .isInstanceOf(ForbiddenException.class);
        organizations.removeMember(owner, "org-1", added.userId());
        assertThat(organizations.members(admin, "org-1")).extracting(Member::userId)
                .containsExactly("owner", "admin", "member");
        assertThatThrownBy(() -> organizations.removeMember(owner, "org-1", "nobody"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aCreatorOwnsTheNewOrganization() {
        Organization created = organizations.create(Callers.user("member"), "  Acme ");
        assertThat(created.name()).isEqualTo("Acme");
        assertThat(created.role()).isEqualTo(Role.OWNER);
        assertThat(organizations.rename(Callers.user("member"), created.id(), "Acme Inc").name()).isEqualTo("Acme Inc");
        assertThat(organizations.get(Callers.user("member"), created.id()).name()).isEqualTo("Acme Inc");
    }
}
