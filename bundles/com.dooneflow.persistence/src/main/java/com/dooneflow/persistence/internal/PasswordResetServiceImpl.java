package com.dooneflow.persistence.internal;

import java.time.Instant;
import java.util.Optional;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.PasswordResetService;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;

/**
 * Password resets. The secret ({@code dfr_} + 256 random bits) is stored only as its SHA-256 hash and found by it, as
 * API tokens and invitations are; a new reset for a person revokes their unused one, and using one ends every
 * console session of its user.
 */
@Component(service = PasswordResetService.class)
public class PasswordResetServiceImpl implements PasswordResetService {

    static final String TOKEN_PREFIX = "dfr_";
    private static final String INVALID = "is invalid, already used or expired: ask for a new reset link";

    private final Database db;

    @Activate
    public PasswordResetServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public IssuedReset create(Principal caller, String orgId, String userId) {
        return db.tx(em -> {
            Role callerRole = OrganizationServiceImpl.role(em, caller, orgId, true);
            MembershipEntity member = userId == null ? null
                    : em.find(MembershipEntity.class, new MembershipEntity.Key(orgId, userId));
            if (member == null) {
                throw new NotFoundException("member not found");
            }
            if (Role.valueOf(member.role) == Role.OWNER && callerRole != Role.OWNER) {
                throw new ForbiddenException("only an owner can reset an owner's password");
            }
            return issue(em, em.find(UserEntity.class, userId), caller.system() ? null : caller.userId());
        });
    }

    @Override
    public Optional<IssuedReset> createForEmail(String email) {
        String normalized;
        try {
            normalized = Emails.normalize(email, "email");
        } catch (ValidationException notAnEmail) {
            return Optional.empty();
        }
        return db.tx(em -> AccessServiceImpl.findUser(em, normalized).map(user -> issue(em, user, null)));
    }

    private static IssuedReset issue(EntityManager em, UserEntity user, String createdBy) {
        Instant now = OrganizationServiceImpl.now();
        em.createQuery("update PasswordResetEntity r set r.usedAt = :now where r.userId = :u and r.usedAt is null")
                .setParameter("now", now).setParameter("u", user.id).executeUpdate();
        String secret = TOKEN_PREFIX + Ids.randomToken(32);
        Instant expires = now.plus(VALIDITY);
        em.persist(new PasswordResetEntity(Ids.uuid(), user.id, Ids.sha256Hex(secret), createdBy, now, expires));
        return new IssuedReset(user.id, user.email, secret, expires);
    }

    @Override
    public void reset(String token, String newPassword) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            throw ValidationException.of("token", INVALID);
        }
        db.run(em -> {
            Instant now = OrganizationServiceImpl.now();
            PasswordResetEntity reset = em.createQuery("select r from PasswordResetEntity r where r.tokenHash = :h",
                            PasswordResetEntity.class).setParameter("h", Ids.sha256Hex(token))
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultStream().findFirst().orElse(null);
            if (reset == null || !reset.usable(now)) {
                throw ValidationException.of("token", INVALID);
            }
            UserEntity user = em.find(UserEntity.class, reset.userId, LockModeType.PESSIMISTIC_WRITE);
            PasswordPolicy.check(newPassword, user.email, "password");
            user.passwordHash = PasswordHashes.hash(newPassword);
            reset.usedAt = now;
            SessionServiceImpl.endAll(em, user.id);
        });
    }
}
