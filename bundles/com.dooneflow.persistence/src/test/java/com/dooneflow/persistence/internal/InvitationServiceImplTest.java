package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.dooneflow.api.AcceptedInvitation;
import com.dooneflow.api.AuthenticationRequiredException;
import com.dooneflow.api.ConflictException;
import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.Member;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Organization;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;

/**
 * InvitationServiceImpl: inviting answers alike for every email, only the invited person joins (with the accept
 * token alone when they have no account, signed in as themselves when they do), and invitations stay inside their
 * organization.
 */
class InvitationServiceImplTest extends DatabaseTestBase {

    /** The services of one database and a fresh organization owned by alice. */
    private final class Rig {
        final DbKind kind;
        final OrganizationServiceImpl orgs;
        final InvitationServiceImpl invitations;
        final AccessServiceImpl access;
        final Principal alice;
        final Organization acme;

        Rig(DbKind kind) {
            this.kind = kind;
            orgs = new OrganizationServiceImpl(db(kind));
            invitations = new InvitationServiceImpl(db(kind));
            access = new AccessServiceImpl(db(kind));
            alice = newUser("alice");
            acme = orgs.create(alice, "Acme");
        }

        Principal newUser(String name) {
            String id = newId();
            String email = uniqueEmail(name);
            db(kind).run(em -> em.persist(new UserEntity(id, email, OrganizationServiceImpl.now())));
            return Principal.user(id, email, null, null);
        }

        Principal newMember(Organization org, String name, Role role) {
            Principal user = newUser(name);
            db(kind).run(em -> em.persist(new MembershipEntity(org.id(), user.userId(), role.name(),
                    OrganizationServiceImpl.now())));
            return user;
        }

        long users(String email) {
            return on(kind).count("select count(*) from df_user where email = ?", email);
        }

        Invitation listed(Organization org, String invitationId) {
            return invitations.list(alice, org.id()).stream().filter(i -> i.id().equals(invitationId)).findFirst()
                    .orElseThrow();
        }
    }

    @OnBothDatabases
    void invitingAnswersAlikeWhetherOrNotTheEmailHasAnAccountAndAddsNoOne(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bob = rig.newUser("bob");
        String stranger = uniqueEmail("stranger");

        IssuedInvitation toBob = rig.invitations.invite(rig.alice, rig.acme.id(), bob.email(), Role.ADMIN);
        IssuedInvitation toStranger = rig.invitations.invite(rig.alice, rig.acme.id(), " " + stranger.toUpperCase() + " ",
                Role.ADMIN);

        for (IssuedInvitation issued : List.of(toBob, toStranger)) {
            Invitation i = issued.invitation();
            assertThat(i.organizationId()).isEqualTo(rig.acme.id());
            assertThat(i.organizationName()).isEqualTo("Acme");
            assertThat(i.role()).isEqualTo(Role.ADMIN);
            assertThat(i.status()).isEqualTo(InvitationStatus.PENDING);
            assertThat(i.invitedBy()).isEqualTo(rig.alice.email());
            assertThat(Duration.between(i.createdAt(), i.expiresAt())).isEqualTo(Duration.ofDays(7));
            assertThat(issued.acceptToken()).startsWith("dfi_").hasSize(4 + 43);
            assertThat(issued.toString()).doesNotContain(issued.acceptToken());
        }
        assertThat(toBob.invitation().email()).isEqualTo(bob.email());
        assertThat(toStranger.invitation().email()).isEqualTo(stranger);
        // Nobody joined and no account was made: until the invited person accepts, nothing changes for them.
        assertThat(rig.orgs.members(rig.alice, rig.acme.id())).extracting(Member::userId).containsExactly(rig.alice.userId());
        assertThat(rig.users(stranger)).isZero();
        assertThat(on(kind).count("select count(*) from df_api_token where user_id = ?", bob.userId())).isZero();
        assertThat(rig.invitations.list(rig.alice, rig.acme.id())).extracting(Invitation::email, Invitation::status)
                .containsExactlyInAnyOrder(tuple(stranger, InvitationStatus.PENDING), tuple(bob.email(), InvitationStatus.PENDING));
    }

    @OnBothDatabases
    void onlyAHashOfTheAcceptTokenIsStored(DbKind kind) {
        Rig rig = new Rig(kind);
        IssuedInvitation issued = rig.invitations.invite(rig.alice, rig.acme.id(), uniqueEmail("bob"), Role.MEMBER);

        Map<String, Object> row = on(kind).queryRow("select * from df_invitation where id = ?", issued.invitation().id());

        assertThat(row.get("token_hash")).isEqualTo(Ids.sha256Hex(issued.acceptToken()));
        assertThat(row.values()).allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(issued.acceptToken()));
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), (String) row.get("token_hash")))
                .as("the hash is no token").isInstanceOf(NotFoundException.class);
    }

    @OnBothDatabases
    void aPersonWithoutAnAccountSetsTheirPasswordWhenAcceptingAndSignsInWithIt(DbKind kind) {
        Rig rig = new Rig(kind);
        String email = uniqueEmail("new.person");
        IssuedInvitation invitation = rig.invitations.invite(rig.alice, rig.acme.id(), email, Role.MEMBER);

        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), invitation.acceptToken(), "too short"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("password", "must be at least 12 characters")));
        assertThat(rig.users(email)).as("a refused password creates no account").isZero();
        assertThat(rig.listed(rig.acme, invitation.invitation().id()).status()).isEqualTo(InvitationStatus.PENDING);

        AcceptedInvitation accepted = rig.invitations.acceptWithToken(Optional.empty(), invitation.acceptToken(),
                "my own long password");

        assertThat(accepted.member().email()).isEqualTo(email);
        assertThat(accepted.token()).as("the API token is still issued").isNotNull();
        SessionServiceImpl sessions = new SessionServiceImpl(db(kind), java.time.Clock.systemUTC(),
                Duration.ofHours(8), Duration.ofDays(7));
        assertThat(sessions.signIn(email, "my own long password")).get()
                .extracting(opened -> opened.session().principal().userId()).isEqualTo(accepted.member().userId());
        Principal signedIn = rig.access.authenticate(accepted.token().secret()).orElseThrow();
        assertThat(rig.access.hasPassword(signedIn)).isTrue();

        // Someone who has an account keeps their password: accepting signed in may not set one.
        Organization globex = rig.orgs.create(rig.alice, "Globex");
        IssuedInvitation second = rig.invitations.invite(rig.alice, globex.id(), email, Role.MEMBER);
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.of(signedIn), second.acceptToken(),
                "another long password")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("password"));
    }

    @OnBothDatabases
    void aPersonWithoutAnAccountAcceptsWithTheTokenAloneAndGetsATokenForThatOrganizationOnly(DbKind kind) {
        Rig rig = new Rig(kind);
        Organization globex = rig.orgs.create(rig.alice, "Globex");
        String email = uniqueEmail("new.user");
        IssuedInvitation toAcme = rig.invitations.invite(rig.alice, rig.acme.id(), email, Role.ADMIN);
        IssuedInvitation toGlobex = rig.invitations.invite(rig.alice, globex.id(), email, Role.MEMBER);

        AcceptedInvitation accepted = rig.invitations.acceptWithToken(Optional.empty(), toAcme.acceptToken());

        assertThat(accepted.member().email()).isEqualTo(email);
        assertThat(accepted.member().role()).isEqualTo(Role.ADMIN);
        assertThat(accepted.organization().id()).isEqualTo(rig.acme.id());
        assertThat(accepted.organization().role()).isEqualTo(Role.ADMIN);
        assertThat(rig.users(email)).isEqualTo(1);
        assertThat(rig.listed(rig.acme, toAcme.invitation().id()).status()).isEqualTo(InvitationStatus.ACCEPTED);
        Principal scoped = rig.access.authenticate(accepted.token().secret()).orElseThrow();
        assertThat(scoped.userId()).isEqualTo(accepted.member().userId());
        assertThat(scoped.scopeOrganizationId()).isEqualTo(rig.acme.id());
        assertThat(rig.orgs.get(scoped, rig.acme.id()).role()).isEqualTo(Role.ADMIN);
        assertThat(on(kind).queryString("select token_hash from df_api_token where id = ?", accepted.token().token().id()))
                .isEqualTo(Ids.sha256Hex(accepted.token().secret()));
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), toAcme.acceptToken()))
                .as("an accept token works once").isInstanceOf(ConflictException.class);

        // The account exists now: the second invitation wants it signed in. Its Acme token still reaches Globex
        // only through a new token limited to Globex.
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), toGlobex.acceptToken()))
                .isInstanceOf(AuthenticationRequiredException.class);
        AcceptedInvitation second = rig.invitations.acceptWithToken(Optional.of(scoped), toGlobex.acceptToken());
        assertThat(second.token().token().organizationId()).isEqualTo(globex.id());
        assertThatThrownBy(() -> rig.orgs.get(scoped, globex.id())).as("the Acme token stays in Acme")
                .isInstanceOf(NotFoundException.class);
        Principal inGlobex = rig.access.authenticate(second.token().secret()).orElseThrow();
        assertThat(rig.orgs.get(inGlobex, globex.id()).role()).isEqualTo(Role.MEMBER);
        assertThat(rig.users(email)).isEqualTo(1);
    }

    @OnBothDatabases
    void anExistingAccountJoinsOnlyWhenItsOwnerAcceptsSignedIn(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bob = rig.newUser("bob");
        Principal mallory = rig.newUser("mallory");
        IssuedInvitation issued = rig.invitations.invite(rig.alice, rig.acme.id(), bob.email(), Role.MEMBER);

        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), issued.acceptToken()))
                .isInstanceOf(AuthenticationRequiredException.class);
        for (Principal other : List.of(mallory, rig.alice, Principal.SYSTEM)) {
            assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.of(other), issued.acceptToken()))
                    .as(other.email()).isInstanceOf(ForbiddenException.class);
        }
        assertThat(rig.orgs.members(rig.alice, rig.acme.id())).extracting(Member::userId).containsExactly(rig.alice.userId());
        assertThat(rig.listed(rig.acme, issued.invitation().id()).status()).isEqualTo(InvitationStatus.PENDING);

        AcceptedInvitation accepted = rig.invitations.acceptWithToken(Optional.of(bob), issued.acceptToken());

        assertThat(accepted.token()).as("bob's own token reaches every organization of his").isNull();
        assertThat(accepted.member().userId()).isEqualTo(bob.userId());
        assertThat(rig.orgs.get(bob, rig.acme.id()).role()).isEqualTo(Role.MEMBER);
        assertThat(rig.listed(rig.acme, issued.invitation().id()).status()).isEqualTo(InvitationStatus.ACCEPTED);
        assertThat(on(kind).count("select count(*) from df_api_token where user_id = ?", bob.userId())).isZero();
    }

    @OnBothDatabases
    void aSignedInUserAcceptsOrDeclinesTheirOwnInvitationsAndNoOneElses(DbKind kind) {
        Rig rig = new Rig(kind);
        Organization globex = rig.orgs.create(rig.alice, "Globex");
        Organization initech = rig.orgs.create(rig.alice, "Initech");
        Principal bob = rig.newUser("bob");
        Principal mallory = rig.newUser("mallory");
        Invitation toAcme = rig.invitations.invite(rig.alice, rig.acme.id(), bob.email(), Role.ADMIN).invitation();
        Invitation toGlobex = rig.invitations.invite(rig.alice, globex.id(), bob.email(), Role.MEMBER).invitation();

        assertThat(rig.invitations.mine(bob)).extracting(Invitation::id, Invitation::organizationName)
                .containsExactlyInAnyOrder(tuple(toAcme.id(), "Acme"), tuple(toGlobex.id(), "Globex"));
        assertThat(rig.invitations.mine(mallory)).isEmpty();
        assertThatThrownBy(() -> rig.invitations.accept(mallory, toAcme.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.decline(mallory, toAcme.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.accept(rig.alice, toAcme.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.mine(Principal.SYSTEM)).isInstanceOf(ValidationException.class);

        AcceptedInvitation accepted = rig.invitations.accept(bob, toAcme.id());
        rig.invitations.decline(bob, toGlobex.id());

        assertThat(accepted.token()).isNull();
        assertThat(rig.orgs.get(bob, rig.acme.id()).role()).isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> rig.orgs.get(bob, globex.id())).isInstanceOf(NotFoundException.class);
        assertThat(rig.listed(globex, toGlobex.id()).status()).isEqualTo(InvitationStatus.DECLINED);
        assertThat(rig.invitations.mine(bob)).isEmpty();
        assertThatThrownBy(() -> rig.invitations.accept(bob, toGlobex.id())).isInstanceOf(ConflictException.class);

        // A token limited to Acme neither sees nor accepts an invitation elsewhere: a copy of it joins bob nowhere.
        Principal bobInAcme = Principal.user(bob.userId(), bob.email(), "t", rig.acme.id());
        Invitation toInitech = rig.invitations.invite(rig.alice, initech.id(), bob.email(), Role.MEMBER).invitation();
        assertThat(rig.invitations.mine(bobInAcme)).isEmpty();
        assertThatThrownBy(() -> rig.invitations.accept(bobInAcme, toInitech.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.decline(bobInAcme, toInitech.id())).isInstanceOf(NotFoundException.class);
        assertThat(rig.invitations.mine(bob)).extracting(Invitation::id).containsExactly(toInitech.id());
    }

    @OnBothDatabases
    void anExpiredInvitationCannotBeAcceptedAndShowsAsExpired(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bob = rig.newUser("bob");
        IssuedInvitation issued = rig.invitations.invite(rig.alice, rig.acme.id(), bob.email(), Role.MEMBER);
        IssuedInvitation newcomer = rig.invitations.invite(rig.alice, rig.acme.id(), uniqueEmail("new"), Role.MEMBER);
        // Two days back: in the past whatever time zone the driver reads the value in.
        Timestamp past = Timestamp.from(Instant.now().minus(Duration.ofDays(2)));
        on(kind).update("update df_invitation set expires_at = ? where org_id = ?", past, rig.acme.id());

        assertThat(rig.invitations.list(rig.alice, rig.acme.id())).extracting(Invitation::status)
                .containsOnly(InvitationStatus.EXPIRED);
        assertThat(rig.invitations.mine(bob)).isEmpty();
        assertThat(fieldOf(catchConflict(() -> rig.invitations.acceptWithToken(Optional.of(bob), issued.acceptToken()))))
                .isEqualTo("token");
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), newcomer.acceptToken()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> rig.invitations.accept(bob, issued.invitation().id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> rig.invitations.revoke(rig.alice, rig.acme.id(), issued.invitation().id()))
                .isInstanceOf(ConflictException.class);
        assertThat(rig.users(newcomer.invitation().email())).isZero();

        // Invited again: a fresh week.
        IssuedInvitation again = rig.invitations.invite(rig.alice, rig.acme.id(), bob.email(), Role.MEMBER);
        assertThat(rig.invitations.accept(bob, again.invitation().id()).member().userId()).isEqualTo(bob.userId());
        assertThat(rig.listed(rig.acme, issued.invitation().id()).status()).isEqualTo(InvitationStatus.EXPIRED);
    }

    @OnBothDatabases
    void aRevokedOrReplacedInvitationCannotBeAccepted(DbKind kind) {
        Rig rig = new Rig(kind);
        String email = uniqueEmail("bob");
        IssuedInvitation first = rig.invitations.invite(rig.alice, rig.acme.id(), email, Role.ADMIN);
        IssuedInvitation second = rig.invitations.invite(rig.alice, rig.acme.id(), email, Role.MEMBER);

        assertThat(rig.listed(rig.acme, first.invitation().id()).status()).isEqualTo(InvitationStatus.REVOKED);
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), first.acceptToken()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("revoked");

        rig.invitations.revoke(rig.alice, rig.acme.id(), second.invitation().id());

        assertThat(rig.listed(rig.acme, second.invitation().id()).status()).isEqualTo(InvitationStatus.REVOKED);
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), second.acceptToken()))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> rig.invitations.revoke(rig.alice, rig.acme.id(), second.invitation().id()))
                .isInstanceOf(ConflictException.class);
        assertThat(rig.users(email)).isZero();
    }

    @OnBothDatabases
    void anotherOrganizationCannotSeeRevokeOrUseItsInvitationsAndMembersMayNotManageThem(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal mallory = rig.newUser("mallory");
        Organization malloryCorp = rig.orgs.create(mallory, "Mallory Corp");
        Principal bob = rig.newMember(rig.acme, "bob", Role.MEMBER);
        IssuedInvitation ours = rig.invitations.invite(rig.alice, rig.acme.id(), uniqueEmail("carol"), Role.MEMBER);
        String id = ours.invitation().id();

        assertThatThrownBy(() -> rig.invitations.list(mallory, rig.acme.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.revoke(mallory, rig.acme.id(), id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.revoke(mallory, malloryCorp.id(), id))
                .as("another organization's invitation through one's own").isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.invite(mallory, rig.acme.id(), mallory.email(), Role.OWNER))
                .isInstanceOf(NotFoundException.class);
        assertThat(rig.invitations.list(mallory, malloryCorp.id())).isEmpty();
        Principal malloryInOwnOrg = Principal.user(mallory.userId(), mallory.email(), "t", malloryCorp.id());
        assertThatThrownBy(() -> rig.invitations.list(malloryInOwnOrg, rig.acme.id())).isInstanceOf(NotFoundException.class);

        assertThatThrownBy(() -> rig.invitations.list(bob, rig.acme.id())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.invitations.invite(bob, rig.acme.id(), uniqueEmail("x"), Role.MEMBER))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.invitations.revoke(bob, rig.acme.id(), id)).isInstanceOf(ForbiddenException.class);
        assertThat(rig.listed(rig.acme, id).status()).isEqualTo(InvitationStatus.PENDING);
    }

    @OnBothDatabases
    void onlyOwnersInviteOwnersOrRevokeTheirInvitations(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal carol = rig.newMember(rig.acme, "carol", Role.ADMIN);
        String dave = uniqueEmail("dave");

        assertThatThrownBy(() -> rig.invitations.invite(carol, rig.acme.id(), dave, Role.OWNER))
                .isInstanceOf(ForbiddenException.class);
        IssuedInvitation asOwner = rig.invitations.invite(rig.alice, rig.acme.id(), dave, Role.OWNER);
        assertThatThrownBy(() -> rig.invitations.revoke(carol, rig.acme.id(), asOwner.invitation().id()))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> rig.invitations.invite(carol, rig.acme.id(), dave, Role.MEMBER))
                .as("nor replace it").isInstanceOf(ForbiddenException.class);
        assertThat(rig.listed(rig.acme, asOwner.invitation().id()).status()).isEqualTo(InvitationStatus.PENDING);

        IssuedInvitation byAdmin = rig.invitations.invite(carol, rig.acme.id(), uniqueEmail("erin"), Role.ADMIN);
        assertThat(byAdmin.invitation().invitedBy()).isEqualTo(carol.email());
        rig.invitations.revoke(carol, rig.acme.id(), byAdmin.invitation().id());
        rig.invitations.revoke(rig.alice, rig.acme.id(), asOwner.invitation().id());
        assertThat(rig.invitations.list(carol, rig.acme.id())).extracting(Invitation::status)
                .containsOnly(InvitationStatus.REVOKED);

        IssuedInvitation byConsole = rig.invitations.invite(Principal.SYSTEM, rig.acme.id(), dave, Role.OWNER);
        assertThat(byConsole.invitation().invitedBy()).isEqualTo("console");
        assertThat(rig.invitations.acceptWithToken(Optional.empty(), byConsole.acceptToken()).member().role())
                .isEqualTo(Role.OWNER);
    }

    @OnBothDatabases
    void invitingAMemberIsAConflictNamingTheEmail(DbKind kind) {
        Rig rig = new Rig(kind);
        Principal bob = rig.newMember(rig.acme, "bob", Role.MEMBER);

        ConflictException e = catchConflict(() -> rig.invitations.invite(rig.alice, rig.acme.id(),
                bob.email().toUpperCase(), Role.ADMIN));

        assertThat(e.field()).isEqualTo("email");
        assertThat(rig.invitations.list(rig.alice, rig.acme.id())).isEmpty();
    }

    @OnBothDatabases
    void badInputIsRefusedNamingTheField(DbKind kind) {
        Rig rig = new Rig(kind);

        assertThat(fieldOf(catchValidation(() -> rig.invitations.invite(rig.alice, rig.acme.id(), "not-an-email",
                Role.MEMBER)))).isEqualTo("email");
        assertThat(fieldOf(catchValidation(() -> rig.invitations.invite(rig.alice, rig.acme.id(), uniqueEmail("x"),
                null)))).isEqualTo("role");
        assertThat(fieldOf(catchValidation(() -> rig.invitations.acceptWithToken(Optional.empty(), " "))))
                .isEqualTo("token");
        assertThatThrownBy(() -> rig.invitations.acceptWithToken(Optional.empty(), "dfi_unknown"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.revoke(rig.alice, rig.acme.id(), UUID.randomUUID().toString()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> rig.invitations.accept(rig.alice, null)).isInstanceOf(NotFoundException.class);
    }

    @OnBothDatabases
    void oneAcceptTokenUsedTwiceAtOnceMakesOneAccount(DbKind kind) throws Exception {
        Rig rig = new Rig(kind);
        IssuedInvitation issued = rig.invitations.invite(rig.alice, rig.acme.id(), uniqueEmail("racer"), Role.MEMBER);
        CountDownLatch start = new CountDownLatch(1);
        Callable<AcceptedInvitation> accept = () -> {
            start.await();
            return rig.invitations.acceptWithToken(Optional.empty(), issued.acceptToken());
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Throwable> failures = new ArrayList<>();
        int accepted = 0;
        try {
            List<Future<AcceptedInvitation>> results = List.of(pool.submit(accept), pool.submit(accept));
            start.countDown();
            for (Future<AcceptedInvitation> result : results) {
                try {
                    result.get();
                    accepted++;
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(accepted).isEqualTo(1);
        assertThat(failures).singleElement().isInstanceOf(ConflictException.class);
        assertThat(rig.users(issued.invitation().email())).isEqualTo(1);
        assertThat(rig.orgs.members(rig.alice, rig.acme.id())).hasSize(2);
    }

    private static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static ConflictException catchConflict(Runnable work) {
        try {
            work.run();
        } catch (ConflictException e) {
            return e;
        }
        throw new AssertionError("expected a ConflictException");
    }

    private static ValidationException catchValidation(Runnable work) {
        try {
            work.run();
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("expected a ValidationException");
    }

    private static String fieldOf(ConflictException e) {
        return e.field();
    }

    private static String fieldOf(ValidationException e) {
        return e.errors().stream().map(FieldError::field).findFirst().orElseThrow();
    }
}
