package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.PasswordResetService.IssuedReset;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.dooneflow.testing.MutableClock;

/**
 * PasswordResetServiceImpl: an owner or admin makes a reset for a member of their organization only; the secret is
 * stored as a hash, works once and for an hour, and sets the password while ending every session of its user.
 */
class PasswordResetServiceImplTest extends DatabaseTestBase {

    private static final String NEW_PASSWORD = "a brand new password";

    private final class Rig {
        final DbKind kind;
        final OrganizationServiceImpl orgs;
        final PasswordResetServiceImpl resets;
        final SessionServiceImpl sessions;
        final Principal alice;
        final Organization acme;

        Rig(DbKind kind) {
            this.kind = kind;
            orgs = new OrganizationServiceImpl(db(kind));
            resets = new PasswordResetServiceImpl(db(kind));
            sessions = new SessionServiceImpl(db(kind), new MutableClock(Instant.now()), Duration.ofHours(8),
                    Duration.ofDays(7));
            alice = newUser("alice");
            acme = orgs.create(alice, "Acme");
        }

        Principal newUser(String name) {
            String id = newId();
            String email = (name + "." + id.substring(0, 8) + "@example.com").toLowerCase();
            db(kind).run(em -> em.persist(new UserEntity(id, email, OrganizationServiceImpl.now())));
            Principal user = Principal.user(id, email, null, null);
            db(kind).run(em -> em.find(UserEntity.class, id).passwordHash = PasswordHashes.hash("the old password!"));
            return user;
        }

        Principal newMember(String name, Role role) {
            Principal user = newUser(name);
            db(kind).run(em -> em.persist(new MembershipEntity(acme.id(), user.userId(), role.name(),
                    OrganizationServiceImpl.now())));
            return user;
        }
    }

    @OnBothDatabases
    void aResetSetsTheNewPasswordOnceAndEndsEverySessionOfItsUser(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bea = rig.newMember("bea", Role.MEMBER);
        String session = rig.sessions.signIn(bea.email(), "the old password!").orElseThrow().secret();

        IssuedReset reset = rig.resets.create(rig.alice, rig.acme.id(), bea.userId());

        assertThat(reset.token()).startsWith("dfr_").hasSize(4 + 43);
        assertThat(reset.toString()).doesNotContain(reset.token());
        assertThat(reset.email()).isEqualTo(bea.email());
        Map<String, Object> row = on(kind).queryRow("select * from df_password_reset where user_id = ?", bea.userId());
        assertThat(row.get("token_hash")).isEqualTo(Ids.sha256Hex(reset.token()));
        assertThat(row.values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(reset.token()));
        assertThat(Duration.between(((Timestamp) row.get("created_at")).toInstant(),
                ((Timestamp) row.get("expires_at")).toInstant())).isEqualTo(Duration.ofHours(1));

        assertThatThrownBy(() -> rig.resets.reset(reset.token(), "too short"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("password", "must be at least 12 characters")));
        rig.resets.reset(reset.token(), NEW_PASSWORD); // still usable after the refused password

        assertThat(rig.sessions.authenticate(session)).as("signed out everywhere").isEmpty();
        assertThat(rig.sessions.signIn(bea.email(), NEW_PASSWORD)).isPresent();
        assertThat(rig.sessions.signIn(bea.email(), "the old password!")).isEmpty();
        assertThatThrownBy(() -> rig.resets.reset(reset.token(), "yet another password"))
                .as("single use").isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("token"));
    }

    @OnBothDatabases
    void anExpiredOrReplacedResetNoLongerWorks(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bea = rig.newMember("bea", Role.MEMBER);
        IssuedReset first = rig.resets.create(rig.alice, rig.acme.id(), bea.userId());
        IssuedReset second = rig.resets.create(rig.alice, rig.acme.id(), bea.userId());

        assertThatThrownBy(() -> rig.resets.reset(first.token(), NEW_PASSWORD)).as("replaced by the second")
                .isInstanceOf(ValidationException.class);
        on(kind).update("update df_password_reset set expires_at = ? where token_hash = ?",
                Timestamp.valueOf(java.time.LocalDateTime.of(2000, 1, 1, 0, 0)), Ids.sha256Hex(second.token()));
        assertThatThrownBy(() -> rig.resets.reset(second.token(), NEW_PASSWORD)).as("expired")
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> rig.resets.reset("dfr_" + "x".repeat(43), NEW_PASSWORD)).as("unknown")
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> rig.resets.reset(Ids.sha256Hex(second.token()), NEW_PASSWORD)).as("the hash is no secret")
                .isInstanceOf(ValidationException.class);
    }

    @OnBothDatabases
    void onlyOwnersAndAdminsResetAndOnlyForTheirOwnMembers(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal admin = rig.newMember("adam", Role.ADMIN);
        Principal member = rig.newMember("mia", Role.MEMBER);
        Principal stranger = rig.newUser("stranger");
        Principal otherOwner = rig.newUser("olga");
        Organization other = rig.orgs.create(otherOwner, "Other");

        assertThatThrownBy(() -> rig.resets.create(member, rig.acme.id(), admin.userId()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.resets.create(admin, rig.acme.id(), rig.alice.userId()))
                .as("only owners reset an owner's password").isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.resets.create(rig.alice, rig.acme.id(), stranger.userId()))
                .as("not a member").isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.resets.create(otherOwner, rig.acme.id(), member.userId()))
                .as("another organization").isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.resets.create(rig.alice, other.id(), otherOwner.userId()))
                .isInstanceOf(NotFoundException.class);
        assertThat(rig.resets.create(admin, rig.acme.id(), member.userId()).userId()).isEqualTo(member.userId());
    }

    @OnBothDatabases
    void forgotPasswordFindsTheAccountByEmailAndNothingForAnUnknownOne(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bea = rig.newMember("bea", Role.MEMBER);

        assertThat(rig.resets.createForEmail("  " + bea.email().toUpperCase() + " ")).get()
                .extracting(IssuedReset::userId).isEqualTo(bea.userId());
        assertThat(rig.resets.createForEmail("nobody-" + newId() + "@example.com")).isEmpty();
        assertThat(rig.resets.createForEmail("not an email")).isEmpty();
    }
}
