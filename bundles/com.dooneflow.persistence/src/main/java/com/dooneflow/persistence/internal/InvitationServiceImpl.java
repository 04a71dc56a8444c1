package com.dooneflow.persistence.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.AuthenticationRequiredException;
import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;

/**
 * Invitations. Inviting never looks at whether the email has an account, so its answer cannot tell. The accept
 * token ({@code dfi_} + 256 random bits) is stored only as a SHA-256 hash. Only the invited person joins: without
 * an account by the accept token alone (the account is created), with an account only when signed in as it.
 */
@Component(service = InvitationService.class)
public class InvitationServiceImpl implements InvitationService {

    static final String TOKEN_PREFIX = "dfi_";
    static final Duration VALIDITY = Duration.ofDays(7);
    private static final String NOT_FOUND = "invitation not found";
    private static final String PENDING = InvitationStatus.PENDING.name();

    private final Database db;

    @Activate
    public InvitationServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public IssuedInvitation invite(Principal caller, String orgId, String email, Role role) {
        String normalized = Emails.normalize(email, "email");
        if (role == null) {
            throw ValidationException.of("role", "is required: owner, admin or member");
        }
        return db.tx(em -> {
            Role callerRole = OrganizationServiceImpl.role(em, caller, orgId, true);
            if (role == Role.OWNER && callerRole != Role.OWNER) {
                throw new ForbiddenException("only an owner can invite an owner");
            }
            // One pending invitation per email and organization: invitations of one organization take turns.
            OrganizationServiceImpl.lockOrganization(em, orgId);
            boolean member = !em.createQuery("select m.userId from MembershipEntity m, UserEntity u "
                            + "where m.orgId = :o and u.id = m.userId and u.email = :e", String.class)
                    .setParameter("o", orgId).setParameter("e", normalized).getResultList().isEmpty();
            if (member) {
                throw new ConflictException("email", normalized + " is already a member of this organization");
            }
            Instant now = OrganizationServiceImpl.now();
            for (InvitationEntity earlier : em.createQuery("select i from InvitationEntity i where i.orgId = :o "
                            + "and i.email = :e and i.status = :pending and i.expiresAt > :now", InvitationEntity.class)
                    .setParameter("o", orgId).setParameter("e", normalized).setParameter("pending", PENDING)
                    .setParameter("now", now).getResultList()) {
                if (Role.valueOf(earlier.role) == Role.OWNER && callerRole != Role.OWNER) {
                    throw new ForbiddenException("only an owner can replace an invitation to become an owner");
                }
                earlier.status = InvitationStatus.REVOKED.name();
            }
            String secret = TOKEN_PREFIX + Ids.randomToken(32);
            InvitationEntity invitation = new InvitationEntity(Ids.uuid(), orgId, normalized, role,
                    Ids.sha256Hex(secret), caller.system() ? "console" : caller.email(), now, now.plus(VALIDITY));
            em.persist(invitation);
            return new IssuedInvitation(invitation.toInvitation(organizationName(em, orgId), now), secret);
        });
    }

    @Override
    public List<Invitation> list(Principal caller, String orgId) {
        return db.tx(em -> {
            OrganizationServiceImpl.role(em, caller, orgId, true);
            String name = organizationName(em, orgId);
            Instant now = OrganizationServiceImpl.now();
            return em.createQuery("select i from InvitationEntity i where i.orgId = :o order by i.createdAt desc, i.id",
                            InvitationEntity.class)
                    .setParameter("o", orgId).getResultList().stream().map(i -> i.toInvitation(name, now)).toList();
        });
    }

    @Override
    public void revoke(Principal caller, String orgId, String invitationId) {
        db.run(em -> {
            Role callerRole = OrganizationServiceImpl.role(em, caller, orgId, true);
            InvitationEntity invitation = invitationId == null ? null
                    : em.find(InvitationEntity.class, invitationId, LockModeType.PESSIMISTIC_WRITE);
            if (invitation == null || !invitation.orgId.equals(orgId)) {
                throw new NotFoundException(NOT_FOUND);
            }
            if (Role.valueOf(invitation.role) == Role.OWNER && callerRole != Role.OWNER) {
                throw new ForbiddenException("only an owner can revoke an invitation to become an owner");
            }
            requirePending(invitation, "status");
            invitation.status = InvitationStatus.REVOKED.name();
        });
    }

    @Override
    public List<Invitation> mine(Principal caller) {
        AccessServiceImpl.requireUser(caller);
        return db.tx(em -> {
            Instant now = OrganizationServiceImpl.now();
            return em.createQuery("select i, o.name from InvitationEntity i, OrganizationEntity o where o.id = i.orgId "
                            + "and i.email = :e and i.status = :pending and i.expiresAt > :now order by i.createdAt, i.id",
                            Object[].class)
                    .setParameter("e", caller.email()).setParameter("pending", PENDING).setParameter("now", now)
                    .getResultList().stream()
                    .filter(row -> OrganizationServiceImpl.inScope(caller, ((InvitationEntity) row[0]).orgId))
                    .map(row -> ((InvitationEntity) row[0]).toInvitation((String) row[1], now)).toList();
        });
    }

    @Override
    public AcceptedInvitation acceptWithToken(Optional<Principal> caller, String acceptToken) {
        return acceptWithToken(caller, acceptToken, null);
    }

    @Override
    public AcceptedInvitation acceptWithToken(Optional<Principal> caller, String acceptToken, String password) {
        if (acceptToken == null || acceptToken.isBlank()) {
            throw ValidationException.of("token", "is required: the invitation's accept token");
        }
        String hash = Ids.sha256Hex(acceptToken.trim());
        return db.tx(em -> {
            InvitationEntity invitation = em.createQuery("select i from InvitationEntity i where i.tokenHash = :h",
                            InvitationEntity.class)
                    .setParameter("h", hash).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst()
                    .orElseThrow(() -> new NotFoundException("no invitation has this accept token"));
            requirePending(invitation, "token");
            if (caller.isPresent()) {
                Principal user = caller.get();
                if (password != null) {
                    throw ValidationException.of("password", "you have an account already: it keeps its password "
                            + "(change it with PUT /v1/me/password)");
                }
                if (user.system() || !invitation.email.equals(user.email())) {
                    throw new ForbiddenException("this invitation is for another email address");
                }
                // A token limited to another organization does not reach the new one: the member gets one that does.
                IssuedToken token = OrganizationServiceImpl.inScope(user, invitation.orgId) ? null
                        : AccessServiceImpl.issue(em, user.userId(), invitation.orgId, "issued when an invitation was accepted");
                return join(em, invitation, em.find(UserEntity.class, user.userId()), token);
            }
            if (AccessServiceImpl.findUser(em, invitation.email).isPresent()) {
                throw new AuthenticationRequiredException("this invitation is for an existing account: accept it signed "
                        + "in as that account (its bearer token), with this accept token or from its own invitations");
            }
            UserEntity user = new UserEntity(Ids.uuid(), invitation.email, OrganizationServiceImpl.now());
            if (password != null) {
                PasswordPolicy.check(password, invitation.email, "password");
                user.passwordHash = PasswordHashes.hash(password);
            }
            em.persist(user);
            // The first token is limited to this organization: whoever handled the accept token cannot use it
            // anywhere else the user is later invited.
            IssuedToken token = AccessServiceImpl.issue(em, user.id, invitation.orgId, "issued when an invitation was accepted");
            return join(em, invitation, user, token);
        });
    }

    @Override
    public AcceptedInvitation accept(Principal caller, String invitationId) {
        AccessServiceImpl.requireUser(caller);
        return db.tx(em -> {
            InvitationEntity invitation = own(em, caller, invitationId);
            requirePending(invitation, "status");
            return join(em, invitation, em.find(UserEntity.class, caller.userId()), null);
        });
    }

    @Override
    public void decline(Principal caller, String invitationId) {
        AccessServiceImpl.requireUser(caller);
        db.run(em -> {
            InvitationEntity invitation = own(em, caller, invitationId);
            requirePending(invitation, "status");
            invitation.status = InvitationStatus.DECLINED.name();
        });
    }

    /** One of the caller's invitations, locked; anyone else's (or another organization's, for a scoped token) is not found. */
    private static InvitationEntity own(EntityManager em, Principal caller, String invitationId) {
        InvitationEntity invitation = invitationId == null ? null
                : em.find(InvitationEntity.class, invitationId, LockModeType.PESSIMISTIC_WRITE);
        if (invitation == null || !invitation.email.equals(caller.email())
                || !OrganizationServiceImpl.inScope(caller, invitation.orgId)) {
            throw new NotFoundException(NOT_FOUND);
        }
        return invitation;
    }

    private static void requirePending(InvitationEntity invitation, String field) {
        InvitationStatus status = invitation.status(OrganizationServiceImpl.now());
        if (status == InvitationStatus.EXPIRED) {
            throw new ConflictException(field, "the invitation expired at " + invitation.expiresAt + "; ask for a new one");
        }
        if (status != InvitationStatus.PENDING) {
            throw new ConflictException(field, "the invitation was already " + status.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Makes the user a member with the invitation's role and marks the invitation accepted. */
    private static AcceptedInvitation join(EntityManager em, InvitationEntity invitation, UserEntity user,
                                           IssuedToken token) {
        if (em.find(MembershipEntity.class, new MembershipEntity.Key(invitation.orgId, user.id)) != null) {
            throw new ConflictException("email", user.email + " is already a member of this organization");
        }
        MembershipEntity membership = new MembershipEntity(invitation.orgId, user.id, invitation.role,
                OrganizationServiceImpl.now());
        em.persist(membership);
        invitation.status = InvitationStatus.ACCEPTED.name();
        Member member = OrganizationServiceImpl.toMember(membership, user.email);
        return new AcceptedInvitation(OrganizationServiceImpl.toOrganization(
                em.find(OrganizationEntity.class, invitation.orgId), member.role()), member, token);
    }

    private static String organizationName(EntityManager em, String orgId) {
        return em.find(OrganizationEntity.class, orgId).name;
    }
}
