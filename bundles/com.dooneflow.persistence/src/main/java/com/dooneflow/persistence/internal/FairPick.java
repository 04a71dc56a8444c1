package com.dooneflow.persistence.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which due executions a node takes: organizations take turns, oldest due first within each and the organization
 * with the oldest due execution first in each round, and none goes over its limit of running executions. An
 * organization with a backlog therefore cannot keep another's executions waiting behind it.
 */
final class FairPick {

    /** A due execution: its id and organization. */
    record Due(String id, String organizationId) {
    }

    private FairPick() {
    }

    /**
     * Up to {@code max} of {@code due} (ordered oldest first). {@code running} counts each organization's running
     * executions and is updated with the picks; organizations that reached {@code perOrganization} while they still
     * had due executions are added to {@code full}.
     */
    static List<Due> pick(List<Due> due, int max, int perOrganization, Map<String, Integer> running, Set<String> full) {
        Map<String, Deque<Due>> byOrganization = new LinkedHashMap<>();
        for (Due d : due) {
            byOrganization.computeIfAbsent(d.organizationId(), k -> new ArrayDeque<>()).add(d);
        }
        List<Due> picked = new ArrayList<>();
        boolean progress = true;
        while (picked.size() < max && progress) {
            progress = false;
            for (Map.Entry<String, Deque<Due>> e : byOrganization.entrySet()) {
                if (picked.size() == max || e.getValue().isEmpty()) {
                    continue;
                }
                if (running.getOrDefault(e.getKey(), 0) >= perOrganization) {
                    full.add(e.getKey());
                    e.getValue().clear();
                    continue;
                }
                picked.add(e.getValue().poll());
                running.merge(e.getKey(), 1, Integer::sum);
                progress = true;
            }
        }
        return picked;
    }

    /** The organizations of {@code running} that run {@code perOrganization} executions or more. */
    static Set<String> atShare(Map<String, Integer> running, int perOrganization) {
        Set<String> full = new HashSet<>();
        running.forEach((organization, n) -> {
            if (n >= perOrganization) {
                full.add(organization);
            }
        });
        return full;
    }

    /** A copy that {@link #pick} may change. */
    static Map<String, Integer> counts(Map<String, Integer> running) {
        return new HashMap<>(running);
    }
}
