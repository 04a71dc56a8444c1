package com.dooneflow.persistence.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.persistence.EntityManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.Principal;
import com.dooneflow.api.SessionService;
import com.dooneflow.api.ValidationException;

/**
 * Console sessions in {@code df_session}. The secret ({@code dfs_} + 256 random bits) goes to the browser's cookie
 * only; the table keeps its SHA-256 hash, so a copy of the database opens no session. The CSRF token is derived
 * from the secret (a hash of it under another label): every node computes the same one, nothing more is stored, and
 * knowing it reveals nothing of the secret. A session ends after {@code session.idleMinutes} without use (default
 * 8 hours) or {@code session.absoluteHours} after sign-in (default 7 days), whichever comes first.
 */
@Component(service = SessionService.class, configurationPid = "com.dooneflow")
public class SessionServiceImpl implements SessionService {

    static final String SECRET_PREFIX = "dfs_";
    static final int DEFAULT_IDLE_MINUTES = 8 * 60;
    static final int DEFAULT_ABSOLUTE_HOURS = 7 * 24;
    /** Activity is written at most this often per session: most requests only read. */
    static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);

    private final Database db;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    @Activate
    public SessionServiceImpl(@Reference Database db, Map<String, Object> config) {
        this(db, Clock.systemUTC(), settings(config, "session.idleMinutes", "DOONEFLOW_SESSION_IDLE_MINUTES",
                DEFAULT_IDLE_MINUTES, ChronoUnit.MINUTES), settings(config, "session.absoluteHours",
                "DOONEFLOW_SESSION_ABSOLUTE_HOURS", DEFAULT_ABSOLUTE_HOURS, ChronoUnit.HOURS));
    }

    SessionServiceImpl(Database db, Clock clock, Duration idle, Duration absolute) {
        this.db = db;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    private static Duration settings(Map<String, Object> config, String key, String env, int defaultValue,
                                     ChronoUnit unit) {
        return Duration.of(Settings.of(config).positiveInt(key, env, defaultValue), unit);
    }

    @Override
    public Optional<NewSession> signIn(String email, String password) {
        if (email == null || email.isBlank()) {
            throw ValidationException.of("email", "is required");
        }
        if (password == null || password.isEmpty()) {
            throw ValidationException.of("password", "is required");
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        Optional<UserEntity> user = normalized.length() > 320 ? Optional.empty()
                : db.tx(em -> AccessServiceImpl.findUser(em, normalized));
        String hash = user.map(u -> u.passwordHash).orElse(null);
        // An unknown email (or a user without a password) costs one verification, as a known one does.
        boolean matches = PasswordHashes.verify(password, hash == null ? PasswordHashes.DECOY : hash) && hash != null;
        if (!matches) {
            return Optional.empty();
        }
        return Optional.of(open(user.get()));
    }

    @Override
    public Optional<NewSession> signInVerified(String email) {
        if (email == null || email.isBlank() || email.length() > 320) {
            return Optional.empty();
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        return db.tx(em -> AccessServiceImpl.findUser(em, normalized)).map(this::open);
    }

    private NewSession open(UserEntity signedIn) {
        String secret = SECRET_PREFIX + Ids.randomToken(32);
        Instant now = now();
        SessionEntity session = new SessionEntity(Ids.uuid(), Ids.sha256Hex(secret), signedIn.id, now,
                now.plus(absolute));
        db.run(em -> {
            purgeExpired(em, now);
            em.persist(session);
        });
        return new NewSession(secret, active(signedIn.id, signedIn.email, secret, session.expiresAt));
    }

    @Override
    public Optional<ActiveSession> authenticate(String sessionSecret) {
        if (sessionSecret == null || !sessionSecret.startsWith(SECRET_PREFIX) || sessionSecret.length() > 200) {
            return Optional.empty();
        }
        String hash = Ids.sha256Hex(sessionSecret);
        Optional<Object[]> found = db.tx(em -> em.createQuery("select s, u.email from SessionEntity s, UserEntity u "
                        + "where s.tokenHash = :h and u.id = s.userId", Object[].class)
                .setParameter("h", hash).getResultStream().findFirst());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SessionEntity session = (SessionEntity) found.get()[0];
        Instant now = now();
        if (!now.isBefore(session.expiresAt) || !now.isBefore(session.lastSeenAt.plus(idle))) {
            db.run(em -> em.createQuery("delete from SessionEntity s where s.id = :id")
                    .setParameter("id", session.id).executeUpdate());
            return Optional.empty();
        }
        if (!now.isBefore(session.lastSeenAt.plus(TOUCH_GRANULARITY))) {
            db.run(em -> em.createQuery("update SessionEntity s set s.lastSeenAt = :now where s.id = :id")
                    .setParameter("now", now).setParameter("id", session.id).executeUpdate());
        }
        return Optional.of(active(session.userId, (String) found.get()[1], sessionSecret, session.expiresAt));
    }

    @Override
    public void signOut(String sessionSecret) {
        if (sessionSecret == null || sessionSecret.length() > 200) {
            return;
        }
        String hash = Ids.sha256Hex(sessionSecret);
        db.run(em -> em.createQuery("delete from SessionEntity s where s.tokenHash = :h")
                .setParameter("h", hash).executeUpdate());
    }

    /** The CSRF token of the session with this secret. */
    static String csrfToken(String sessionSecret) {
        return Ids.sha256Hex("dooneflow-csrf:" + sessionSecret);
    }

    /** Ends every console session of a user (their password changed). */
    static void endAll(EntityManager em, String userId) {
        em.createQuery("delete from SessionEntity s where s.userId = :u").setParameter("u", userId).executeUpdate();
    }

    private void purgeExpired(EntityManager em, Instant now) {
        em.createQuery("delete from SessionEntity s where s.expiresAt <= :now or s.lastSeenAt <= :idleSince")
                .setParameter("now", now).setParameter("idleSince", now.minus(idle)).executeUpdate();
    }

    private static ActiveSession active(String userId, String email, String secret, Instant expiresAt) {
        return new ActiveSession(Principal.user(userId, email, null, null), csrfToken(secret), expiresAt);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
