package com.dooneflow.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * Organizations and memberships in memory, with the real service's access rules: an organization the caller is
 * not a member of (or that a token is not scoped to) is not found; a member who tries to manage is forbidden; only
 * owners grant or take away ownership; the last owner stays. Set up with {@link #grant} (people join a real
 * organization by accepting an invitation, which {@code InvitationService} handles and this class leaves out).
 */
public class InMemoryOrganizationService implements OrganizationService {

    private record Org(String id, String name, Instant createdAt) {
    }

    private final Map<String, Org> organizations = new LinkedHashMap<>();
    /** orgId → userId → member, in the order they were added. */
    private final Map<String, Map<String, Member>> members = new LinkedHashMap<>();

    /** Makes {@code userId} (email {@code userId@example.com}) a member of {@code orgId} with {@code role}. */
    public InMemoryOrganizationService grant(String userId, String orgId, Role role) {
        return grant(userId, userId + "@example.com", orgId, role);
    }

    /** Makes the user a member of {@code orgId} (its name is its id) with {@code role}. */
    public InMemoryOrganizationService grant(Principal user, String orgId, Role role) {
        return grant(user.userId(), user.email(), orgId, role);
    }

    private synchronized InMemoryOrganizationService grant(String userId, String email, String orgId, Role role) {
        organizations.computeIfAbsent(orgId, id -> new Org(id, id, now()));
        members.computeIfAbsent(orgId, id -> new LinkedHashMap<>()).put(userId, new Member(userId, email, role, now()));
        return this;
    }

    @Override
    public synchronized List<Organization> list(Principal caller) {
        return organizations.values().stream()
                .filter(o -> caller.system() || inScope(caller, o.id) && member(o.id, caller.userId()) != null)
                .map(o -> organization(o, caller.system() ? null : member(o.id, caller.userId()).role())).toList();
    }

    @Override
    public synchronized Organization create(Principal caller, String name) {
        String valid = orgName(name);
        if (caller.scopeOrganizationId() != null) {
            throw new ForbiddenException("this token is limited to one organization; use a personal token");
        }
        Org org = new Org(UUID.randomUUID().toString(), valid, now());
        organizations.put(org.id, org);
        members.put(org.id, new LinkedHashMap<>());
        if (caller.system()) {
            return organization(org, null);
        }
        members.get(org.id).put(caller.userId(), new Member(caller.userId(), caller.email(), Role.OWNER, now()));
        return organization(org, Role.OWNER);
    }

    @Override
    public synchronized Organization get(Principal caller, String orgId) {
        Role role = requireRole(caller, orgId, false);
        return organization(organizations.get(orgId), caller.system() ? null : role);
    }

    @Override
    public synchronized Organization rename(Principal caller, String orgId, String name) {
        Role role = requireRole(caller, orgId, true); // first: a stranger learns nothing from a validation error
        String valid = orgName(name);
        Org renamed = new Org(orgId, valid, organizations.get(orgId).createdAt);
        organizations.put(orgId, renamed);
        return organization(renamed, caller.system() ? null : role);
    }

    @Override
    public synchronized Role requireRole(Principal caller, String orgId, boolean manage) {
        if (orgId == null || !inScope(caller, orgId) || !organizations.containsKey(orgId)) {
            throw new NotFoundException("organization not found");
        }
        if (caller.system()) {
            return Role.OWNER;
        }
        Member m = member(orgId, caller.userId());
        if (m == null) {
            throw new NotFoundException("organization not found");
        }
        if (manage && !m.role().canManage()) {
            throw new ForbiddenException("only owners and admins may do this");
        }
        return m.role();
    }

    @Override
    public synchronized List<Member> members(Principal caller, String orgId) {
        requireRole(caller, orgId, false);
        return List.copyOf(members.get(orgId).values());
    }

    @Override
    public synchronized Member changeRole(Principal caller, String orgId, String userId, Role role) {
        if (role == null) {
            throw ValidationException.of("role", "is required: owner, admin or member");
        }
        Role callerRole = requireRole(caller, orgId, true);
        Member m = existingMember(orgId, userId);
        if ((m.role() == Role.OWNER || role == Role.OWNER) && callerRole != Role.OWNER) {
            throw new ForbiddenException("only an owner can grant or take away ownership");
        }
        if (m.role() == Role.OWNER && role != Role.OWNER) {
            requireAnotherOwner(orgId);
        }
        Member changed = new Member(m.userId(), m.email(), role, m.addedAt());
        members.get(orgId).put(userId, changed);
        return changed;
    }

    @Override
    public synchronized void removeMember(Principal caller, String orgId, String userId) {
        Role callerRole = requireRole(caller, orgId, true);
        Member m = existingMember(orgId, userId);
        if (m.role() == Role.OWNER) {
            if (callerRole != Role.OWNER) {
                throw new ForbiddenException("only an owner can remove an owner");
            }
            requireAnotherOwner(orgId);
        }
        members.get(orgId).remove(userId);
    }

    private Member member(String orgId, String userId) {
        Map<String, Member> of = members.get(orgId);
        return of == null || userId == null ? null : of.get(userId);
    }

    private Member existingMember(String orgId, String userId) {
        Member m = member(orgId, userId);
        if (m == null) {
            throw new NotFoundException("member not found");
        }
        return m;
    }

    private void requireAnotherOwner(String orgId) {
        if (members.get(orgId).values().stream().filter(m -> m.role() == Role.OWNER).count() <= 1) {
            throw new ConflictException("role", "an organization keeps at least one owner");
        }
    }

    private static boolean inScope(Principal caller, String orgId) {
        return caller.scopeOrganizationId() == null || caller.scopeOrganizationId().equals(orgId);
    }

    private static String orgName(String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            throw ValidationException.of("name", "is required, at most 200 characters");
        }
        return trimmed;
    }

    private static Organization organization(Org o, Role role) {
        return new Organization(o.id, o.name, o.createdAt, role);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
