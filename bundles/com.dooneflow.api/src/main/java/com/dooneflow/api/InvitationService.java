package com.dooneflow.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Invitations: how people join an organization. Owners and admins invite an email with a role (only owners invite
 * owners); the answer is the same whether or not that email has an account. The invited person accepts with the
 * invitation's accept token, or, signed in as that email, from their own list; no one else can make them a member.
 * An organization the caller is not a member of is reported as not found; a member who may not manage gets
 * {@link ForbiddenException}.
 */
@ProviderType
public interface InvitationService {

    /**
     * Invites {@code email} to the organization with {@code role}, valid for 7 days. A pending invitation of the same
     * email to this organization is revoked and replaced. Someone who already is a member: {@link ConflictException}
     * on {@code email}.
     */
    IssuedInvitation invite(Principal caller, String orgId, String email, Role role);

    /** Every invitation of the organization, newest first. Owners and admins only. */
    List<Invitation> list(Principal caller, String orgId);

    /** Revokes a pending invitation. Owners and admins; only owners revoke an invitation to become an owner. */
    void revoke(Principal caller, String orgId, String invitationId);

    /** The caller's pending invitations (to their email), oldest first; only the token's organization for a scoped token. */
    List<Invitation> mine(Principal caller);

    /**
     * Accepts the invitation whose accept token this is. Without a caller ({@code Optional.empty()}), only an email
     * that has no account may accept: the account is created and gets its first token, limited to the organization;
     * for an email that has an account, {@link AuthenticationRequiredException}. With a caller, the caller must be
     * the invited email, else {@link ForbiddenException}. An unknown token: {@link NotFoundException}; an invitation
     * no longer pending: {@link ConflictException} on {@code token}.
     */
    AcceptedInvitation acceptWithToken(Optional<Principal> caller, String acceptToken);

    /**
     * As {@link #acceptWithToken(Optional, String)}; when accepting creates the account, {@code password} (optional)
     * becomes its console password, checked against the password policy first ({@link ValidationException} on
     * {@code password}). Given for an account that exists already, it is refused on {@code password}: that account
     * keeps the password it has.
     */
    AcceptedInvitation acceptWithToken(Optional<Principal> caller, String acceptToken, String password);

    /** The caller accepts one of their own pending invitations (see {@link #mine}); anyone else's is not found. */
    AcceptedInvitation accept(Principal caller, String invitationId);

    /** The caller declines one of their own pending invitations; anyone else's is not found. */
    void decline(Principal caller, String invitationId);
}
