package com.dooneflow.persistence.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AccessService;
import com.dooneflow.api.ApiToken;
import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.User;
import com.dooneflow.api.ValidationException;

/**
 * Users' console passwords ({@link PasswordHashes}, {@link PasswordPolicy}) and bearer tokens. Bearer tokens: {@code dft_} + 256 random bits, stored only as a SHA-256 hash. Looking a token up by its
 * hash reveals nothing through timing about any stored token, since the hash of a guess is unrelated to it.
 */
@Component(service = AccessService.class)
public class AccessServiceImpl implements AccessService {

    static final String TOKEN_PREFIX = "dft_";
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final Database db;

    @Activate
    public AccessServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Optional<Principal> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank() || bearerToken.length() > 512) {
            return Optional.empty();
        }
        String hash = Ids.sha256Hex(bearerToken);
        Optional<Object[]> found = db.tx(em -> em.createQuery(
                        "select t, u.email from ApiTokenEntity t, UserEntity u "
                                + "where t.tokenHash = :h and t.revokedAt is null and u.id = t.userId", Object[].class)
                .setParameter("h", hash).getResultStream().findFirst());
        return found.map(row -> {
            ApiTokenEntity t = (ApiTokenEntity) row[0];
            Instant now = Instant.now();
            if (t.lastUsedAt == null || t.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
                db.run(em -> em.createQuery("update ApiTokenEntity t set t.lastUsedAt = :now where t.id = :id")
                        .setParameter("now", now.truncatedTo(ChronoUnit.MILLIS)).setParameter("id", t.id).executeUpdate());
            }
            return Principal.user(t.userId, (String) row[1], t.id, t.orgScope);
        });
    }

    @Override
    public User me(Principal caller) {
        requireUser(caller);
        return db.tx(em -> Optional.ofNullable(em.find(UserEntity.class, caller.userId()))
                .map(UserEntity::toUser).orElseThrow(() -> new NotFoundException("user not found")));
    }

    @Override
    public IssuedToken createToken(Principal caller, String name) {
        requireUser(caller);
        return db.tx(em -> issue(em, caller.userId(), caller.scopeOrganizationId(), tokenName(name)));
    }

    @Override
    public List<ApiToken> listTokens(Principal caller) {
        requireUser(caller);
        return db.tx(em -> em.createQuery("select t from ApiTokenEntity t where t.userId = :u and t.revokedAt is null "
                        + "order by t.createdAt", ApiTokenEntity.class)
                .setParameter("u", caller.userId()).getResultList().stream().map(ApiTokenEntity::toToken).toList());
    }

    @Override
    public void revokeToken(Principal caller, String tokenId) {
        requireUser(caller);
        db.run(em -> {
            ApiTokenEntity t = em.find(ApiTokenEntity.class, tokenId);
            if (t == null || !t.userId.equals(caller.userId()) || t.revokedAt != null) {
                throw new NotFoundException("token not found");
            }
            t.revokedAt = Instant.now();
        });
    }

    @Override
    public IssuedToken createTokenFor(String email, String name) {
        String normalized = Emails.normalize(email, "email");
        return db.tx(em -> {
            UserEntity user = findUser(em, normalized).orElseThrow(() -> new NotFoundException("no user " + normalized));
            return issue(em, user.id, null, tokenName(name));
        });
    }

    @Override
    public void revokeAnyToken(String tokenId) {
        db.run(em -> {
            ApiTokenEntity t = em.find(ApiTokenEntity.class, tokenId);
            if (t == null || t.revokedAt != null) {
                throw new NotFoundException("token not found");
            }
            t.revokedAt = Instant.now();
        });
    }

    @Override
    public List<User> listUsers() {
        return db.tx(em -> em.createQuery("select u from UserEntity u order by u.email", UserEntity.class)
                .getResultList().stream().map(UserEntity::toUser).toList());
    }

    @Override
    public boolean isInstallationAdmin(Principal caller) {
        if (caller.system()) {
            return true;
        }
        if (caller.scopeOrganizationId() != null || caller.userId() == null) {
            return false;
        }
        return db.tx(em -> Optional.ofNullable(em.find(UserEntity.class, caller.userId()))
                .map(u -> u.installationAdmin).orElse(false));
    }

    @Override
    public User setInstallationAdmin(String email, boolean installationAdmin) {
        String normalized = Emails.normalize(email, "email");
        return db.tx(em -> {
            UserEntity user = findUser(em, normalized).orElseThrow(() -> new NotFoundException("no user " + normalized));
            if (user.installationAdmin && !installationAdmin) {
                // Locks every administrator's row: two revocations at once cannot leave none.
                List<UserEntity> admins = em.createQuery("select u from UserEntity u where u.installationAdmin = true",
                        UserEntity.class).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
                if (admins.size() <= 1) {
                    throw new ConflictException("installationAdmin", normalized + " is the last installation "
                            + "administrator; make another user one first");
                }
            }
            user.installationAdmin = installationAdmin;
            return user.toUser();
        });
    }

    @Override
    public boolean hasPassword(Principal caller) {
        if (caller.system() || caller.userId() == null) {
            return false;
        }
        return db.tx(em -> Optional.ofNullable(em.find(UserEntity.class, caller.userId()))
                .map(u -> u.passwordHash != null).orElse(false));
    }

    @Override
    public void setPassword(Principal caller, String currentPassword, String newPassword) {
        requireUser(caller);
        db.run(em -> {
            UserEntity user = em.find(UserEntity.class, caller.userId(), LockModeType.PESSIMISTIC_WRITE);
            if (user == null) {
                throw new NotFoundException("user not found");
            }
            if (user.passwordHash != null) {
                if (currentPassword == null || currentPassword.isEmpty()) {
                    throw ValidationException.of("currentPassword", "is required to change the password");
                }
                if (!PasswordHashes.verify(currentPassword, user.passwordHash)) {
                    throw ValidationException.of("currentPassword", "is not your current password");
                }
            } else if (caller.tokenId() == null) {
                // Only sessions lack a token, and a session needs a password: never reached, but never assumed.
                throw new ForbiddenException("sign in with your API token to set your first password");
            }
            PasswordPolicy.check(newPassword, user.email, "password");
            user.passwordHash = PasswordHashes.hash(newPassword);
            SessionServiceImpl.endAll(em, user.id);
        });
    }

    static Optional<UserEntity> findUser(EntityManager em, String email) {
        return em.createQuery("select u from UserEntity u where u.email = :e", UserEntity.class)
                .setParameter("e", email).getResultStream().findFirst();
    }

    /** Creates a token for the user; {@code secret} null means generate one. */
    static IssuedToken issue(EntityManager em, String userId, String orgScope, String name, String secret) {
        String value = secret != null ? secret : TOKEN_PREFIX + Ids.randomToken(32);
        ApiTokenEntity t = new ApiTokenEntity(Ids.uuid(), userId, orgScope, name,
                value.substring(0, Math.min(12, value.length())), Ids.sha256Hex(value),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        em.persist(t);
        return new IssuedToken(t.toToken(), value);
    }

    static IssuedToken issue(EntityManager em, String userId, String orgScope, String name) {
        return issue(em, userId, orgScope, name, null);
    }

    private static String tokenName(String name) {
        if (name == null || name.isBlank()) {
            return "API token";
        }
        if (name.length() > 200) {
            throw ValidationException.of("name", "must be at most 200 characters");
        }
        return name.trim();
    }

    /** The console ({@link Principal#SYSTEM}) is no user: it cannot act as one. */
    static void requireUser(Principal caller) {
        if (caller.system()) {
            throw new ValidationException(List.of(new com.dooneflow.api.FieldError("user",
                    "the console acts as no user; use the console's token commands")));
        }
    }
}
