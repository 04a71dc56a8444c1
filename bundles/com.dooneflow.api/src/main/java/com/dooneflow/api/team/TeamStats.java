package com.dooneflow.api.team;

import java.time.Instant;
import java.util.List;

/**
 * Assignments per member in {@code [from, to)} (either end null = open). Lists every current member, with 0 when
 * they got none, and deleted members that got some in the period.
 */
public record TeamStats(Instant from, Instant to, long total, List<MemberCount> members) {

    public TeamStats {
        members = List.copyOf(members);
    }

    /** @param deleted the member was deleted since; {@code name} is the one the assignments recorded */
    public record MemberCount(String teamMemberId, String name, boolean active, boolean deleted, long assignments) {
    }
}
