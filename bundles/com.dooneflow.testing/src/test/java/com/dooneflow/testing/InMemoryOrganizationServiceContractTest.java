package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.testing.contract.OrganizationServiceContract;

class InMemoryOrganizationServiceContractTest extends OrganizationServiceContract {

    private final InMemoryOrganizationService organizations = new InMemoryOrganizationService();

    @Override
    protected OrganizationService service() {
        return organizations;
    }

    @Override
    protected Principal newUser(String name) {
        String id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return Principal.user(id, id + "@example.com", "token-" + id, null);
    }

    @Override
    protected void addMember(String orgId, Principal user, Role role) {
        organizations.grant(user, orgId, role);
    }

    @Test
    void grantSetsUpAnOrganizationNamedAfterItsIdWithTheMember() {
        InMemoryOrganizationService fresh = new InMemoryOrganizationService().grant("ann", "org-1", Role.ADMIN);

        assertThat(fresh.requireRole(Callers.user("ann"), "org-1", true)).isEqualTo(Role.ADMIN);
        assertThat(fresh.get(Callers.user("ann"), "org-1").name()).isEqualTo("org-1");
        assertThat(fresh.members(Principal.SYSTEM, "org-1")).singleElement()
                .satisfies(m -> assertThat(m.email()).isEqualTo("ann@example.com"));
    }
}
