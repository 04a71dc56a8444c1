package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.persistence.internal.SmoothRoundRobin.Candidate;

/** The rotation as a pure function: fairness, weights, members leaving and joining. */
class SmoothRoundRobinTest {

    /** Runs turns, keeping the state between them like the database does. */
    private static final class Rotation {
        Map<String, Long> state = new HashMap<>();
        final List<String> chosen = new ArrayList<>();

        List<String> run(List<Candidate> candidates, int turns) {
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < turns; i++) {
                SmoothRoundRobin.Turn t = SmoothRoundRobin.next(candidates, state);
                state = t.currentWeights();
                picks.add(t.chosen());
            }
            chosen.addAll(picks);
            return picks;
        }
    }

    private static List<Candidate> equal(String... ids) {
        List<Candidate> list = new ArrayList<>();
        for (String id : ids) {
            list.add(new Candidate(id, 1));
        }
        return list;
    }

    private static Map<String, Integer> counts(List<String> picks) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        picks.forEach(p -> counts.merge(p, 1, Integer::sum));
        return counts;
    }

    @Test
    void equalWeightsArePlainRoundRobinInMemberOrder() {
        assertThat(new Rotation().run(equal("a", "b", "c"), 7)).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void countsOfEqualMembersNeverDifferByMoreThanOneAfterAnyTurn() {
        Rotation r = new Rotation();
        List<Candidate> five = equal("a", "b", "c", "d", "e");
        for (int turn = 1; turn <= 1000; turn++) {
            r.run(five, 1);
            Map<String, Integer> counts = counts(r.chosen);
            int max = counts.values().stream().max(Integer::compare).orElseThrow();
            int min = five.stream().mapToInt(c -> counts.getOrDefault(c.id(), 0)).min().orElseThrow();
            assertThat(max - min).as("after turn %d: %s", turn, counts).isLessThanOrEqualTo(1);
        }
        assertThat(counts(r.chosen)).containsOnly(Map.entry("a", 200), Map.entry("b", 200), Map.entry("c", 200),
                Map.entry("d", 200), Map.entry("e", 200));
    }

    @Test
    void weightTwoGetsTwiceTheShareSpreadOutAndWithinOneOfProportionalAfterAnyTurn() {
        Rotation r = new Rotation();
        List<Candidate> weighted = List.of(new Candidate("a", 2), new Candidate("b", 1), new Candidate("c", 1));
        for (int turn = 1; turn <= 400; turn++) {
            r.run(weighted, 1);
            Map<String, Integer> counts = counts(r.chosen);
            for (Candidate c : weighted) {
                double fair = turn * c.weight() / 4.0;
                assertThat(Math.abs(counts.getOrDefault(c.id(), 0) - fair)).as("%s after turn %d", c.id(), turn)
                        .isLessThan(1.0);
            }
        }
        assertThat(counts(r.chosen)).containsOnly(Map.entry("a", 200), Map.entry("b", 100), Map.entry("c", 100));
        // Spread out: "a" never gets three in a row, and every window of 4 holds exactly a, a, b, c.
        assertThat(String.join("", r.chosen)).doesNotContain("aaa");
        for (int i = 0; i + 4 <= r.chosen.size(); i += 4) {
            assertThat(r.chosen.subList(i, i + 4)).containsExactlyInAnyOrder("a", "a", "b", "c");
        }
    }

    @Test
    void unequalWeightsSplitProportionally() {
        Rotation r = new Rotation();
        r.run(List.of(new Candidate("a", 5), new Candidate("b", 3), new Candidate("c", 1)), 900);
        assertThat(counts(r.chosen)).containsOnly(Map.entry("a", 500), Map.entry("b", 300), Map.entry("c", 100));
    }

    @Test
    void aMemberLeavingThePoolIsSkippedAndTheOthersStayEven() {
        Rotation r = new Rotation();
        r.run(equal("a", "b", "c", "d"), 6);
        List<String> after = r.run(equal("a", "b", "d"), 300);
        assertThat(after).doesNotContain("c");
        assertThat(counts(after).values()).allSatisfy(n -> assertThat(n).isBetween(99, 101));
        assertThat(r.state).doesNotContainKey("c");
    }

    @Test
    void aLateJoinerGetsItsTurnEachRoundWithoutABurstOfCatchUp() {
        Rotation r = new Rotation();
        r.run(equal("a", "b", "c"), 301);
        List<String> afterJoin = r.run(equal("a", "b", "c", "d"), 40);
        // One turn per round of four, from its first round on: never two within one round.
        for (int i = 0; i + 4 <= afterJoin.size(); i++) {
            assertThat(afterJoin.subList(i, i + 4).stream().filter("d"::equals).count())
                    .as("window %d of %s", i, afterJoin).isLessThanOrEqualTo(1);
        }
        assertThat(counts(afterJoin)).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10),
                Map.entry("d", 10));
    }

    @Test
    void aMemberComingBackStartsAfreshInsteadOfCollectingMissedTurns() {
        Rotation r = new Rotation();
        r.run(equal("a", "b", "c"), 3);
        r.run(equal("a", "b"), 100);
        List<String> back = r.run(equal("a", "b", "c"), 9);
        assertThat(counts(back)).containsOnly(Map.entry("a", 3), Map.entry("b", 3), Map.entry("c", 3));
    }

    @Test
    void changingThePoolsWeightsTakesEffectWithoutRestarting() {
        Rotation r = new Rotation();
        r.run(equal("a", "b"), 10);
        List<String> reweighted = r.run(List.of(new Candidate("a", 3), new Candidate("b", 1)), 400);
        assertThat(counts(reweighted).get("a")).isBetween(299, 301);
        assertThat(counts(reweighted).get("b")).isBetween(99, 101);
    }
}
