package com.dooneflow.persistence.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Smooth weighted round robin (the scheme nginx uses for upstreams), as a pure function of the stored state.
 * Each turn every candidate's current weight grows by its weight; the largest (first in order on a tie) is
 * chosen and gives back the sum of all weights. Over any W consecutive turns (W = the sum of the weights) a
 * member with weight w is chosen exactly w times, spread out rather than in a block; with equal weights this is
 * plain round robin, so counts never differ by more than one.
 * <p>
 * Only candidates keep state: a member who leaves the pool (inactive, deleted) is dropped and one who joins
 * starts at 0, so nobody collects a backlog of turns to catch up on.
 */
final class SmoothRoundRobin {

    record Candidate(String id, int weight) {
    }

    /** @param currentWeights every candidate's current weight after the turn, in candidate order */
    record Turn(String chosen, Map<String, Long> currentWeights) {
    }

    private SmoothRoundRobin() {
    }

    static Turn next(List<Candidate> candidates, Map<String, Long> currentWeights) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates");
        }
        long total = 0;
        String chosen = null;
        long best = Long.MIN_VALUE;
        Map<String, Long> next = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            long w = currentWeights.getOrDefault(c.id(), 0L) + c.weight();
            next.put(c.id(), w);
            total += c.weight();
            if (w > best) {
                best = w;
                chosen = c.id();
            }
        }
        next.put(chosen, best - total);
        return new Turn(chosen, next);
    }
}
