package com.dooneflow.connector.team.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.spi.OptionSource.Option;
import com.dooneflow.api.team.Assignment;
import com.dooneflow.api.team.AssignmentRequest;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamMemberInput;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.api.team.TeamStats;

class TeamMemberOptionsTest {

    private final PagedTeam team = new PagedTeam();
    private final TeamMemberOptions options = new TeamMemberOptions(team);

    @Test
    void everyMemberOfTheOrganizationAcrossPagesByIdAndName() {
        team.add("org-1", "tm-1", "Ann", true);
        team.add("org-2", "tm-x", "Xavier", true);
        team.add("org-1", "tm-2", "Bea", false);
        team.add("org-1", "tm-3", "Carl", true);

        assertThat(options.options("org-1")).containsExactly(new Option("tm-1", "Ann"),
                new Option("tm-2", "Bea (inactive)"), new Option("tm-3", "Carl"));
        assertThat(options.options("org-2")).containsExactly(new Option("tm-x", "Xavier"));
        assertThat(options.options("org-3")).isEmpty();
        assertThat(team.callers).containsOnly(Principal.SYSTEM);
    }

    /** Members per organization, two to a page whatever the limit, as the service may answer fewer. */
    private static final class PagedTeam implements TeamService {
        private record Row(String org, TeamMember member) {
        }

        final List<Row> rows = new ArrayList<>();
        final List<Principal> callers = new ArrayList<>();

        void add(String org, String id, String name, boolean active) {
            rows.add(new Row(org, new TeamMember(id, name, "+15550001111", null, active, Instant.EPOCH,
                    Instant.EPOCH)));
        }

        @Override
        public Page<TeamMember> list(Principal c, String o, int limit, String cursor) {
            callers.add(c);
            List<TeamMember> mine = rows.stream().filter(r -> r.org.equals(o)).map(Row::member).toList();
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            int to = Math.min(mine.size(), from + Math.min(limit, 2));
            return new Page<>(mine.subList(from, to), to < mine.size() ? Integer.toString(to) : null);
        }

        @Override public TeamMember get(Principal c, String o, String id) { throw new NotFoundException("no"); }
        @Override public TeamMember create(Principal c, String o, TeamMemberInput i) { throw new UnsupportedOperationException(); }
        @Override public TeamMember update(Principal c, String o, String id, TeamMemberInput i) { throw new UnsupportedOperationException(); }
        @Override public void delete(Principal c, String o, String id) { throw new UnsupportedOperationException(); }
        @Override public Page<Assignment> assignments(Principal c, String o, String m, Instant f, Instant t, int l, String cu) { throw new UnsupportedOperationException(); }
        @Override public Page<Assignment> log(Principal c, String o, String e, Instant f, Instant t, int l, String cu) { throw new UnsupportedOperationException(); }
        @Override public TeamStats stats(Principal c, String o, Instant f, Instant t) { throw new UnsupportedOperationException(); }
        @Override public Assignment assign(AssignmentRequest r) { throw new UnsupportedOperationException(); }
    }
}
