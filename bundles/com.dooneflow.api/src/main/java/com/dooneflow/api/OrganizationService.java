package com.dooneflow.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Organizations and their members. Every method checks the caller: an organization the caller is not a
 * member of is reported as not found; a member who may not manage gets {@link ForbiddenException}. People
 * join by accepting an invitation ({@link InvitationService}).
 */
@ProviderType
public interface OrganizationService {

    /** The organizations the caller belongs to (all of them for {@link Principal#SYSTEM}). */
    List<Organization> list(Principal caller);

    /** Creates an organization; a user caller becomes its owner. */
    Organization create(Principal caller, String name);

    Organization get(Principal caller, String orgId);

    Organization rename(Principal caller, String orgId, String name);

    /** The caller's role, or NotFoundException when the caller is not a member. Owners/admins only when {@code manage}. */
    Role requireRole(Principal caller, String orgId, boolean manage);

    List<Member> members(Principal caller, String orgId);

    Member changeRole(Principal caller, String orgId, String userId, Role role);

    void removeMember(Principal caller, String orgId, String userId);
}
