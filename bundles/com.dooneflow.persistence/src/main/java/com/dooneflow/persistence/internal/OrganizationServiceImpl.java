package com.dooneflow.persistence.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;

/**
 * Organizations and memberships, with the access rules in one place: not a member → not found; a member
 * managing → forbidden; only owners grant or take away ownership; the last owner stays. Members join through
 * {@link InvitationServiceImpl}.
 */
@Component(service = OrganizationService.class)
public class OrganizationServiceImpl implements OrganizationService {

    static final String NOT_FOUND = "organization not found";

    private final Database db;

    @Activate
    public OrganizationServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public List<Organization> list(Principal caller) {
        return db.tx(em -> {
            if (caller.system()) {
                return em.createQuery("select o from OrganizationEntity o order by o.createdAt", OrganizationEntity.class)
                        .getResultList().stream().map(o -> toOrganization(o, null)).toList();
            }
            return em.createQuery("select o, m.role from OrganizationEntity o, MembershipEntity m "
                            + "where m.orgId = o.id and m.userId = :u order by o.createdAt", Object[].class)
                    .setParameter("u", caller.userId()).getResultList().stream()
                    .filter(row -> inScope(caller, ((OrganizationEntity) row[0]).id))
                    .map(row -> toOrganization((OrganizationEntity) row[0], Role.valueOf((String) row[1])))
                    .toList();
        });
    }

    @Override
    public Organization create(Principal caller, String name) {
        String validName = orgName(name);
        if (caller.scopeOrganizationId() != null) {
            throw new ForbiddenException("this token is limited to one organization; use a personal token");
        }
        return db.tx(em -> {
            OrganizationEntity org = new OrganizationEntity(Ids.uuid(), validName, now());
            em.persist(org);
            if (!caller.system()) {
                em.persist(new MembershipEntity(org.id, caller.userId(), Role.OWNER.name(), org.createdAt));
                return toOrganization(org, Role.OWNER);
            }
            return toOrganization(org, null);
        });
    }

    @Override
    public Organization get(Principal caller, String orgId) {
        return db.tx(em -> {
            Role role = role(em, caller, orgId, false);
            return toOrganization(em.find(OrganizationEntity.class, orgId), caller.system() ? null : role);
        });
    }

    @Override
    public Organization rename(Principal caller, String orgId, String name) {
        return db.tx(em -> {
            Role role = role(em, caller, orgId, true); // who may come first: a stranger learns nothing from a 422
            String validName = orgName(name);
            OrganizationEntity org = em.find(OrganizationEntity.class, orgId);
            org.name = validName;
            return toOrganization(org, caller.system() ? null : role);
        });
    }

    @Override
    public Role requireRole(Principal caller, String orgId, boolean manage) {
        return db.tx(em -> role(em, caller, orgId, manage));
    }

    @Override
    public List<Member> members(Principal caller, String orgId) {
        return db.tx(em -> {
            role(em, caller, orgId, false);
            return em.createQuery("select m, u.email from MembershipEntity m, UserEntity u "
                            + "where m.orgId = :o and u.id = m.userId order by m.addedAt, u.email", Object[].class)
                    .setParameter("o", orgId).getResultList().stream()
                    .map(row -> toMember((MembershipEntity) row[0], (String) row[1])).toList();
        });
    }

    @Override
    public Member changeRole(Principal caller, String orgId, String userId, Role role) {
        if (role == null) {
            throw ValidationException.of("role", "is required: owner, admin or member");
        }
        return db.tx(em -> {
            Role callerRole = role(em, caller, orgId, true);
            lockOrganization(em, orgId);
            MembershipEntity m = membership(em, orgId, userId);
            Role current = Role.valueOf(m.role);
            if ((current == Role.OWNER || role == Role.OWNER) && callerRole != Role.OWNER) {
                throw new ForbiddenException("only an owner can grant or take away ownership");
            }
            if (current == Role.OWNER && role != Role.OWNER) {
                requireAnotherOwner(em, orgId);
            }
            m.role = role.name();
            return toMember(m, em.find(UserEntity.class, userId).email);
        });
    }

    @Override
    public void removeMember(Principal caller, String orgId, String userId) {
        db.run(em -> {
            Role callerRole = role(em, caller, orgId, true);
            lockOrganization(em, orgId);
            MembershipEntity m = membership(em, orgId, userId);
            if (Role.valueOf(m.role) == Role.OWNER) {
                if (callerRole != Role.OWNER) {
                    throw new ForbiddenException("only an owner can remove an owner");
                }
                requireAnotherOwner(em, orgId);
            }
            em.remove(m);
            // Tokens handed out for this organization are of no use any more.
            em.createQuery("update ApiTokenEntity t set t.revokedAt = :now where t.userId = :u and t.orgScope = :o "
                            + "and t.revokedAt is null")
                    .setParameter("now", now()).setParameter("u", userId).setParameter("o", orgId).executeUpdate();
        });
    }

    /** The caller's role in the organization, enforcing visibility and (when {@code manage}) the right to manage. */
    static Role role(EntityManager em, Principal caller, String orgId, boolean manage) {
        if (orgId == null || !inScope(caller, orgId)) {
            throw new NotFoundException(NOT_FOUND);
        }
        if (caller.system()) {
            if (em.find(OrganizationEntity.class, orgId) == null) {
                throw new NotFoundException(NOT_FOUND);
            }
            return Role.OWNER;
        }
        MembershipEntity m = em.find(MembershipEntity.class, new MembershipEntity.Key(orgId, caller.userId()));
        if (m == null) {
            throw new NotFoundException(NOT_FOUND);
        }
        Role role = Role.valueOf(m.role);
        if (manage && !role.canManage()) {
            throw new ForbiddenException("only owners and admins may do this");
        }
        return role;
    }

    static boolean inScope(Principal caller, String orgId) {
        return caller.scopeOrganizationId() == null || caller.scopeOrganizationId().equals(orgId);
    }

    private static MembershipEntity membership(EntityManager em, String orgId, String userId) {
        MembershipEntity m = userId == null ? null
                : em.find(MembershipEntity.class, new MembershipEntity.Key(orgId, userId), LockModeType.PESSIMISTIC_WRITE);
        if (m == null) {
            throw new NotFoundException("member not found");
        }
        return m;
    }

    /** Serialises membership changes of one organization, so two owners cannot demote each other at once. */
    static void lockOrganization(EntityManager em, String orgId) {
        em.find(OrganizationEntity.class, orgId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static void requireAnotherOwner(EntityManager em, String orgId) {
        long owners = em.createQuery("select count(m) from MembershipEntity m where m.orgId = :o and m.role = 'OWNER'",
                Long.class).setParameter("o", orgId).getSingleResult();
        if (owners <= 1) {
            throw new ConflictException("role", "an organization keeps at least one owner");
        }
    }

    private static String orgName(String name) {
        if (name == null || name.isBlank()) {
            throw ValidationException.of("name", "is required");
        }
        if (name.trim().length() > 200) {
            throw ValidationException.of("name", "must be at most 200 characters");
        }
        return name.trim();
    }

    static Organization toOrganization(OrganizationEntity o, Role role) {
        return new Organization(o.id, o.name, o.createdAt, role);
    }

    static Member toMember(MembershipEntity m, String email) {
        return new Member(m.userId, email, Role.valueOf(m.role), m.addedAt);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
