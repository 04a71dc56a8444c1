package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.dooneflow.persistence.internal.FairPick.Due;

class FairPickTest {

    private static List<Due> due(String org, int n) {
        List<Due> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Due(org + i, org));
        }
        return list;
    }

    private static List<String> ids(List<Due> picked) {
        return picked.stream().map(Due::id).toList();
    }

    @Test
    void organizationsTakeTurnsStartingWithTheOldestDue() {
        List<Due> window = new ArrayList<>(due("b", 6));
        window.addAll(due("a", 2));
        Map<String, Integer> running = new HashMap<>();

        List<Due> picked = FairPick.pick(window, 5, 100, running, new HashSet<>());

        assertThat(ids(picked)).containsExactly("b0", "a0", "b1", "a1", "b2");
        assertThat(running).containsEntry("b", 3).containsEntry("a", 2);
    }

    @Test
    void anOrganizationAtItsLimitTakesNoMoreAndIsReportedFull() {
        List<Due> window = new ArrayList<>(due("b", 6));
        window.addAll(due("a", 1));
        Map<String, Integer> running = new HashMap<>(Map.of("b", 3));
        Set<String> full = new HashSet<>();

        List<Due> picked = FairPick.pick(window, 5, 4, running, full);

        assertThat(ids(picked)).containsExactly("b0", "a0");
        assertThat(full).containsExactly("b");
        assertThat(running).containsEntry("b", 4).containsEntry("a", 1);
    }

    @Test
    void withoutALimitOneOrganizationMayTakeEverything() {
        List<Due> picked = FairPick.pick(due("b", 6), 4, Integer.MAX_VALUE, new HashMap<>(), new HashSet<>());

        assertThat(ids(picked)).containsExactly("b0", "b1", "b2", "b3");
    }

    @Test
    void organizationsRunningTheirShareOrMoreAreAtTheirShare() {
        assertThat(FairPick.atShare(Map.of("a", 2, "b", 3, "c", 4), 3)).containsExactlyInAnyOrder("b", "c");
        assertThat(FairPick.atShare(Map.of(), 3)).isEmpty();
    }
}
