package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ForbiddenException;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;
import com.dooneflow.api.team.Assignment;
import com.dooneflow.api.team.AssignmentRequest;
import com.dooneflow.api.team.Contact;
import com.dooneflow.api.team.NoActiveTeamMemberException;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamStats;

/** Team members, the rotation in the database and the assignment log, on H2 and PostgreSQL. */
class TeamServiceImplTest extends DatabaseTestBase {

    private static final Principal ADMIN = Principal.SYSTEM;

    @OnBothDatabases
    void createNormalisesThePhoneAndEmailAndReadsBack(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);

        TeamMember ann = team.create(ADMIN, org, new TeamMemberInput("  Ann Lee ", "+1 (650) 253-0000", "Ann@Example.com", null));

        assertThat(ann.name()).isEqualTo("Ann Lee");
        assertThat(ann.phone()).isEqualTo("+16502530000");
        assertThat(ann.email()).isEqualTo("ann@example.com");
        assertThat(ann.active()).isTrue();
        assertThat(team.get(ADMIN, org, ann.id())).isEqualTo(ann);
        assertThat(team.list(ADMIN, org, 50, null).items()).containsExactly(ann);
    }

    @OnBothDatabases
    void badInputIsRefusedNamingEachFieldAndWritesNothing(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);

        assertThatThrownBy(() -> team.create(ADMIN, org, new TeamMemberInput(" ", "650 253 0000", "not-an-email", null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("name", "phone", "email");
                    assertThat(e.errors().get(1).message()).contains("no country code");
                });
        assertThatThrownBy(() -> team.create(ADMIN, org, new TeamMemberInput("Bo", null, null, null)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("phone"));
        assertThat(on(kind).count("select count(*) from df_team_member where org_id = ?", org)).isZero();
    }

    @OnBothDatabases
    void updateChangesOnlyTheFieldsGivenAndAnEmptyEmailRemovesIt(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember ann = team.create(ADMIN, org, new TeamMemberInput("Ann", "+16502530000", "ann@example.com", true));

        TeamMember renamed = team.update(ADMIN, org, ann.id(), new TeamMemberInput("Ann Lee", null, null, null));
        assertThat(renamed.phone()).isEqualTo("+16502530000");
        assertThat(renamed.email()).isEqualTo("ann@example.com");
        TeamMember noEmail = team.update(ADMIN, org, ann.id(), new TeamMemberInput(null, "+44 20 7183 8750", "", false));
        assertThat(noEmail.name()).isEqualTo("Ann Lee");
        assertThat(noEmail.phone()).isEqualTo("+442071838750");
        assertThat(noEmail.email()).isNull();
        assertThat(noEmail.active()).isFalse();
        assertThat(team.get(ADMIN, org, ann.id())).isEqualTo(noEmail);
        assertThatThrownBy(() -> team.update(ADMIN, org, ann.id(), new TeamMemberInput(null, "12345", null, null)))
                .isInstanceOf(ValidationException.class);
    }

    @OnBothDatabases
    void anotherOrganizationsMemberIsNotFoundAndMembersMayOnlyRead(DbKind kind) {
        TeamServiceImpl team = team(kind);
        OrganizationServiceImpl orgs = new OrganizationServiceImpl(db(kind));
        Principal alice = newUser(kind, "alice");
        String org = orgs.create(alice, "Acme").id();
        String other = orgs.create(newUser(kind, "mallory"), "Other").id();
        TeamMember theirs = add(team, other, "Theirs");
        Principal bob = newUser(kind, "bob");
        db(kind).run(em -> em.persist(new MembershipEntity(org, bob.userId(), Role.MEMBER.name(), OrganizationServiceImpl.now())));
        TeamMember ours = team.create(alice, org, member("Ours"));

        assertThatThrownBy(() -> team.get(alice, org, theirs.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> team.update(alice, org, theirs.id(), new TeamMemberInput("x", null, null, null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> team.delete(alice, org, theirs.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> team.assignments(alice, org, theirs.id(), null, null, 10, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> team.list(alice, other, 10, null)).isInstanceOf(NotFoundException.class);

        assertThat(team.list(bob, org, 10, null).items()).extracting(TeamMember::id).containsExactly(ours.id());
        assertThat(team.stats(bob, org, null, null).members()).hasSize(1);
        assertThatThrownBy(() -> team.create(bob, org, member("Nope"))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> team.create(bob, org, new TeamMemberInput(" ", null, null, null)))
                .as("the role is checked before the input").isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> team.update(bob, org, ours.id(), new TeamMemberInput(null, null, null, false)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> team.delete(bob, org, ours.id())).isInstanceOf(ForbiddenException.class);
        assertThat(team.get(alice, org, ours.id()).active()).isTrue();
    }

    @OnBothDatabases
    void listPagesOldestFirst(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(add(team, org, "M" + i).id());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<TeamMember> page = team.list(ADMIN, org, 2, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(2);
            page.items().forEach(m -> seen.add(m.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @OnBothDatabases
    void assignmentsGoRoundRobinSkippingInactiveMembers(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember a = add(team, org, "A");
        TeamMember b = add(team, org, "B");
        TeamMember c = add(team, org, "C");

        assertThat(assignMany(team, org, List.of(), Map.of(), 6)).containsExactly(a.id(), b.id(), c.id(), a.id(), b.id(), c.id());
        team.update(ADMIN, org, b.id(), new TeamMemberInput(null, null, null, false));
        assertThat(assignMany(team, org, List.of(), Map.of(), 4)).containsExactly(a.id(), c.id(), a.id(), c.id());
        team.update(ADMIN, org, b.id(), new TeamMemberInput(null, null, null, true));
        assertThat(counts(assignMany(team, org, List.of(), Map.of(), 9))).containsOnly(Map.entry(a.id(), 3L),
                Map.entry(b.id(), 3L), Map.entry(c.id(), 3L));
    }

    @OnBothDatabases
    void anExplicitPoolWithWeightsHasItsOwnRotation(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember a = add(team, org, "A");
        TeamMember b = add(team, org, "B");
        TeamMember outside = add(team, org, "Outside");

        List<String> picks = assignMany(team, org, List.of(a.id(), b.id()), Map.of(a.id(), 2), 30);

        assertThat(counts(picks)).containsOnly(Map.entry(a.id(), 20L), Map.entry(b.id(), 10L));
        assertThat(picks).doesNotContain(outside.id());
        // The default rotation did not move: it starts with the first member.
        assertThat(assignMany(team, org, List.of(), Map.of(), 1)).containsExactly(a.id());
    }

    @OnBothDatabases
    void aPoolOrWeightsNamingStrangersIsRefused(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember a = add(team, org, "A");
        TeamMember b = add(team, org, "B");
        TeamMember foreign = add(team, newOrg(kind), "Foreign");

        assertThatThrownBy(() -> team.assign(request(org, List.of(a.id(), foreign.id()), Map.of())))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("pool"));
        assertThatThrownBy(() -> team.assign(request(org, List.of(a.id()), Map.of(b.id(), 2))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).contains("not in the pool"));
        assertThatThrownBy(() -> team.assign(request(org, List.of(), Map.of(a.id(), 0))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).contains("1 to 100"));
        assertThat(on(kind).count("select count(*) from df_team_assignment where org_id = ?", org)).isZero();
    }

    @OnBothDatabases
    void noActiveMemberFailsNamingThePool(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        assertThatThrownBy(() -> team.assign(request(org, List.of(), Map.of())))
                .isInstanceOf(NoActiveTeamMemberException.class).hasMessageContaining("no active team member in pool");
        TeamMember a = add(team, org, "A");
        team.update(ADMIN, org, a.id(), new TeamMemberInput(null, null, null, false));
        assertThatThrownBy(() -> team.assign(request(org, List.of(a.id()), Map.of())))
                .isInstanceOf(NoActiveTeamMemberException.class).hasMessageContaining(a.id());
    }

    @OnBothDatabases
    void aRetriedStepGetsItsFirstAssignmentAndTheRotationDoesNotMove(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember a = add(team, org, "A");
        TeamMember b = add(team, org, "B");
        AssignmentRequest step = new AssignmentRequest(org, newId(), 0, "exec-1:0", null, null,
                new Contact("Carl Client", "+15550001111", "carl@example.com"));

        Assignment first = team.assign(step);
        Assignment retry = team.assign(step);

        assertThat(retry).isEqualTo(first);
        assertThat(first.teamMemberId()).isEqualTo(a.id());
        assertThat(first.contactName()).isEqualTo("Carl Client");
        assertThat(first.turn()).isEqualTo(1);
        assertThat(team.assign(request(org, List.of(), Map.of())).teamMemberId()).isEqualTo(b.id());
    }

    @OnBothDatabases
    void deletingAMemberKeepsItsAssignmentsReadable(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember a = add(team, org, "Ann Gone");
        TeamMember b = add(team, org, "Bea");
        String execution = newId();
        Assignment toAnn = team.assign(new AssignmentRequest(org, execution, 1, execution + ":1", null, null,
                new Contact("Carl", null, null)));

        team.delete(ADMIN, org, a.id());

        assertThatThrownBy(() -> team.get(ADMIN, org, a.id())).isInstanceOf(NotFoundException.class);
        assertThat(team.list(ADMIN, org, 10, null).items()).extracting(TeamMember::id).containsExactly(b.id());
        assertThat(team.assignments(ADMIN, org, a.id(), null, null, 10, null).items()).containsExactly(toAnn);
        assertThat(team.log(ADMIN, org, execution, null, null, 10, null).items()).singleElement()
                .extracting(Assignment::teamMemberName).isEqualTo("Ann Gone");
        TeamStats stats = team.stats(ADMIN, org, null, null);
        assertThat(stats.members()).extracting(TeamStats.MemberCount::name, TeamStats.MemberCount::deleted,
                TeamStats.MemberCount::assignments).containsExactly(tuple("Ann Gone", true, 1L),
                tuple("Bea", false, 0L));
        assertThat(assignMany(team, org, List.of(), Map.of(), 2)).containsExactly(b.id(), b.id());
    }

    @OnBothDatabases
    void theLogPagesNewestFirstAndStatsCountAPeriod(DbKind kind) {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        TeamMember a = add(team, org, "A");
        TeamMember b = add(team, org, "B");
        assignMany(team, org, List.of(), Map.of(), 5);
        Instant between = later();
        assignMany(team, org, List.of(), Map.of(), 2);

        List<Assignment> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Assignment> page = team.log(ADMIN, org, null, null, null, 3, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(3);
            seen.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        // Every assignment once, newest first (assignments within one millisecond in any order).
        assertThat(seen).extracting(Assignment::turn).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(seen).extracting(Assignment::assignedAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(seen.get(0).assignedAt()).isAfter(between);
        assertThat(team.assignments(ADMIN, org, a.id(), null, null, 10, null).items()).hasSize(4);

        TeamStats before = team.stats(ADMIN, org, null, between);
        TeamStats after = team.stats(ADMIN, org, between, null);
        assertThat(before.total()).isEqualTo(5);
        assertThat(before.members()).extracting(TeamStats.MemberCount::assignments).containsExactly(3L, 2L);
        assertThat(after.total()).isEqualTo(2);
        assertThat(after.members()).extracting(TeamStats.MemberCount::teamMemberId).containsExactly(a.id(), b.id());
        assertThat(after.members()).extracting(TeamStats.MemberCount::assignments).containsExactly(1L, 1L);
        assertThatThrownBy(() -> team.stats(ADMIN, org, between, between)).isInstanceOf(ValidationException.class);
    }

    /**
     * Many threads (as many workers on many nodes would) race for turns on one database: every turn is handed out
     * once, turns run 1..N without a gap, the sequence in turn order is exact round robin and every step got one
     * assignment.
     */
    @OnBothDatabases
    void racingThreadsNeverHandTheSameTurnTwice(DbKind kind) throws Exception {
        TeamServiceImpl team = team(kind);
        String org = newOrg(kind);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(add(team, org, "M" + i).id());
        }
        int threads = 10;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Assignment>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                List<Assignment> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String key = "t" + thread + "-" + i;
                    mine.add(team.assign(new AssignmentRequest(org, null, 0, key, null, null, null)));
                    // Every fourth step is retried at once (a lost reply): it must not take another turn.
                    if (i % 4 == 0) {
                        assertThat(team.assign(new AssignmentRequest(org, null, 0, key, null, null, null)))
                                .isEqualTo(mine.get(mine.size() - 1));
                    }
                }
                return mine;
            }));
        }
        start.countDown();
        List<Assignment> all = new ArrayList<>();
        for (Future<List<Assignment>> f : results) {
            all.addAll(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();

        int total = threads * perThread;
        assertThat(all).hasSize(total);
        Set<Long> turns = all.stream().map(Assignment::turn).collect(Collectors.toSet());
        assertThat(turns).hasSize(total);
        assertThat(turns).allSatisfy(t -> assertThat(t).isBetween(1L, (long) total));
        Map<Long, String> byTurn = new HashMap<>();
        all.forEach(x -> byTurn.put(x.turn(), x.teamMemberId()));
        for (long t = 1; t <= total; t++) {
            assertThat(byTurn.get(t)).as("turn %d", t).isEqualTo(members.get((int) ((t - 1) % members.size())));
        }
        assertThat(counts(all.stream().map(Assignment::teamMemberId).toList()).values()).containsOnly((long) total / 5);
        assertThat(on(kind).count("select count(*) from df_team_assignment where org_id = ?", org)).isEqualTo(total);
    }

    // ---- helpers ----

    private TeamServiceImpl team(DbKind kind) {
        return new TeamServiceImpl(db(kind));
    }

    private String newOrg(DbKind kind) {
        return StoreFixtures.newOrganization(on(kind));
    }

    /** Creates a member a millisecond after the previous one, so the rotation order (oldest first) is the creation order. */
    private static TeamMember add(TeamServiceImpl team, String org, String name) {
        later();
        return team.create(ADMIN, org, member(name));
    }

    private static TeamMemberInput member(String name) {
        return new TeamMemberInput(name, "+1650253" + String.format("%04d", Math.floorMod(name.hashCode(), 10000)), null, null);
    }

    private static AssignmentRequest request(String org, List<String> pool, Map<String, Integer> weights) {
        String execution = UUID.randomUUID().toString();
        return new AssignmentRequest(org, execution, 0, execution + ":0", pool, weights, null);
    }

    private static List<String> assignMany(TeamServiceImpl team, String org, List<String> pool,
                                           Map<String, Integer> weights, int n) {
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picks.add(team.assign(request(org, pool, weights)).teamMemberId());
        }
        return picks;
    }

    private static Map<String, Long> counts(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(id -> id, LinkedHashMap::new, Collectors.counting()));
    }

    /** A moment strictly after every assignment so far (times are kept to the millisecond). */
    private static Instant later() {
        Instant now = OrganizationServiceImpl.now();
        while (!OrganizationServiceImpl.now().isAfter(now)) {
            Thread.onSpinWait();
        }
        Instant boundary = OrganizationServiceImpl.now();
        while (!OrganizationServiceImpl.now().isAfter(boundary)) {
            Thread.onSpinWait();
        }
        return boundary;
    }

    private Principal newUser(DbKind kind, String name) {
        String id = newId();
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        db(kind).run(em -> em.persist(new UserEntity(id, email, OrganizationServiceImpl.now())));
        return Principal.user(id, email, null, null);
    }
}
