package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Principal;
import com.dooneflow.api.SessionService.ActiveSession;
import com.dooneflow.api.SessionService.NewSession;
import com.dooneflow.api.ValidationException;
import com.dooneflow.testing.MutableClock;

/**
 * Signing in with email and password, console sessions and their expiry (a clock the test moves), and passwords set
 * through the access service, on H2 and PostgreSQL.
 */
class SessionServiceImplTest extends DatabaseTestBase {

    private static final String PASSWORD = "a long enough password";
    private static final Duration IDLE = Duration.ofHours(8);
    private static final Duration ABSOLUTE = Duration.ofDays(7);

    private final MutableClock clock = new MutableClock(Instant.now());

    private SessionServiceImpl sessions(DbKind kind) {
        return new SessionServiceImpl(db(kind), clock, IDLE, ABSOLUTE);
    }

    /** A user with an API token (a token's principal, as the REST layer gets it) and no password yet. */
    private Principal newUser(DbKind kind) {
        String id = newId();
        String email = ("Pat." + id.substring(0, 8) + "@example.com").toLowerCase();
        IssuedToken token = db(kind).tx(em -> {
            em.persist(new UserEntity(id, email, OrganizationServiceImpl.now()));
            return AccessServiceImpl.issue(em, id, null, "test");
        });
        return new AccessServiceImpl(db(kind)).authenticate(token.secret()).orElseThrow();
    }

    private Principal withPassword(DbKind kind) {
        Principal user = newUser(kind);
        new AccessServiceImpl(db(kind)).setPassword(user, null, PASSWORD);
        return user;
    }

    @OnBothDatabases
    void aRightPasswordOpensASessionStoredOnlyAsAHash(DbKind kind) {
        Principal user = withPassword(kind);

        NewSession opened = sessions(kind).signIn("  " + user.email().toUpperCase() + " ", PASSWORD).orElseThrow();

        assertThat(opened.secret()).startsWith("dfs_").hasSizeGreaterThan(40);
        assertThat(opened.toString()).doesNotContain(opened.secret());
        assertThat(opened.session().principal()).isEqualTo(Principal.user(user.userId(), user.email(), null, null));
        assertThat(opened.session().expiresAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                .plus(ABSOLUTE));
        assertThat(opened.session().csrfToken()).hasSize(64).isNotEqualTo(opened.secret());
        assertThat(on(kind).count("select count(*) from df_session where token_hash = ? and user_id = ?",
                Ids.sha256Hex(opened.secret()), user.userId())).isEqualTo(1);
        assertThat(on(kind).count("select count(*) from df_session where token_hash = ?", opened.secret())).isZero();

        // Another node (another service over the same database) accepts it, with the same CSRF token.
        ActiveSession elsewhere = sessions(kind).authenticate(opened.secret()).orElseThrow();
        assertThat(elsewhere.principal().userId()).isEqualTo(user.userId());
        assertThat(elsewhere.csrfToken()).isEqualTo(opened.session().csrfToken());
        assertThat(on(kind).queryString("select password_hash from df_user where id = ?", user.userId()))
                .startsWith("$argon2id$").doesNotContain(PASSWORD);
    }

    @OnBothDatabases
    void aWrongPasswordAnUnknownEmailAndAUserWithoutPasswordAllGetTheSameEmptyAnswer(DbKind kind) {
        Principal user = withPassword(kind);
        Principal noPassword = newUser(kind);
        SessionServiceImpl sessions = sessions(kind);

        assertThat(sessions.signIn(user.email(), PASSWORD + "!")).isEmpty();
        assertThat(sessions.signIn("nobody-" + newId() + "@example.com", PASSWORD)).isEmpty();
        assertThat(sessions.signIn(noPassword.email(), PASSWORD)).isEmpty();
        assertThat(sessions.signIn("not an email", PASSWORD)).isEmpty();
        assertThat(sessions.authenticate("dfs_unknown")).isEmpty();
        assertThat(sessions.authenticate(null)).isEmpty();
        assertThatThrownBy(() -> sessions.signIn(user.email(), "")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("password"));
        assertThatThrownBy(() -> sessions.signIn(" ", PASSWORD)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("email"));
    }

    @OnBothDatabases
    void aSessionEndsWhenIdleForTheIdleTimeoutAndUseKeepsItAlive(DbKind kind) {
        Principal user = withPassword(kind);
        SessionServiceImpl sessions = sessions(kind);
        String secret = sessions.signIn(user.email(), PASSWORD).orElseThrow().secret();

        clock.advance(IDLE.minusMinutes(1));
        assertThat(sessions.authenticate(secret)).as("used just before the idle timeout").isPresent();
        clock.advance(IDLE.minusMinutes(1));
        assertThat(sessions.authenticate(secret)).as("the use above counted as activity").isPresent();
        clock.advance(IDLE);
        assertThat(sessions.authenticate(secret)).as("idle for the whole timeout").isEmpty();
        assertThat(on(kind).count("select count(*) from df_session where token_hash = ?", Ids.sha256Hex(secret)))
                .as("an ended session is removed").isZero();
    }

    @OnBothDatabases
    void aSessionEndsAtTheAbsoluteTimeoutHoweverMuchItIsUsed(DbKind kind) {
        Principal user = withPassword(kind);
        SessionServiceImpl sessions = sessions(kind);
        String secret = sessions.signIn(user.email(), PASSWORD).orElseThrow().secret();

        for (Duration used = Duration.ZERO; used.compareTo(ABSOLUTE.minusHours(4)) < 0; used = used.plusHours(4)) {
            clock.advance(Duration.ofHours(4));
            assertThat(sessions.authenticate(secret)).as("after %s", used.plusHours(4)).isPresent();
        }
        clock.advance(Duration.ofHours(4));
        assertThat(sessions.authenticate(secret)).isEmpty();
    }

    @OnBothDatabases
    void signingOutEndsTheSessionAndSigningInPurgesEndedOnes(DbKind kind) {
        Principal user = withPassword(kind);
        SessionServiceImpl sessions = sessions(kind);
        String first = sessions.signIn(user.email(), PASSWORD).orElseThrow().secret();
        String second = sessions.signIn(user.email(), PASSWORD).orElseThrow().secret();

        sessions.signOut(first);
        sessions.signOut(first);
        sessions.signOut("dfs_unknown");

        assertThat(sessions.authenticate(first)).isEmpty();
        assertThat(sessions.authenticate(second)).as("only the one signed out ends").isPresent();
        clock.advance(IDLE.plusMinutes(1));
        sessions.signIn(user.email(), PASSWORD).orElseThrow();
        assertThat(on(kind).count("select count(*) from df_session where token_hash = ?", Ids.sha256Hex(second)))
                .as("an idle session is purged at the next sign-in").isZero();
    }

    @OnBothDatabases
    void theFirstPasswordIsSetWithTheTokenAndChangingItNeedsTheCurrentOneAndEndsTheSessions(DbKind kind) {
        Principal user = newUser(kind);
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        SessionServiceImpl sessions = sessions(kind);
        assertThat(access.hasPassword(user)).isFalse();

        assertThatThrownBy(() -> access.setPassword(user, null, "short")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("password"));
        assertThatThrownBy(() -> access.setPassword(user, null, user.email()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).message()).isEqualTo("must not be your email address"));
        access.setPassword(user, null, PASSWORD);
        assertThat(access.hasPassword(user)).isTrue();
        String secret = sessions.signIn(user.email(), PASSWORD).orElseThrow().secret();
        Principal bySession = sessions.authenticate(secret).orElseThrow().principal();

        assertThatThrownBy(() -> access.setPassword(user, null, "another long password"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("currentPassword"));
        assertThatThrownBy(() -> access.setPassword(bySession, "not the password", "another long password"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).message()).isEqualTo("is not your current password"));
        assertThat(sessions.authenticate(secret)).as("a refused change ends nothing").isPresent();

        access.setPassword(bySession, PASSWORD, "another long password");

        assertThat(sessions.authenticate(secret)).as("a changed password ends the sessions").isEmpty();
        assertThat(sessions.signIn(user.email(), PASSWORD)).isEmpty();
        assertThat(sessions.signIn(user.email(), "another long password")).isPresent();
        assertThat(access.hasPassword(Principal.SYSTEM)).isFalse();
        assertThat(Optional.ofNullable(on(kind).queryString("select password_hash from df_user where id = ?",
                user.userId()))).get().asString().startsWith("$argon2id$");
    }

    @OnBothDatabases
    void anIdentityProvidersWordSignsInOnlySomeoneWhoHasAnAccount(DbKind kind) {
        Principal user = newUser(kind);
        SessionServiceImpl sessions = sessions(kind);

        NewSession opened = sessions.signInVerified(" " + user.email().toUpperCase() + " ").orElseThrow();

        assertThat(opened.session().principal().userId()).as("no password needed").isEqualTo(user.userId());
        assertThat(sessions.authenticate(opened.secret())).isPresent();
        assertThat(sessions.signInVerified("nobody-" + newId() + "@example.com")).isEmpty();
        assertThat(sessions.signInVerified(null)).isEmpty();
        assertThat(on(kind).count("select count(*) from df_user where email like 'nobody-%'")).isZero();
    }
}
