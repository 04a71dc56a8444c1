package com.dooneflow.connector.team.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamService;

/** {@code team.members}: the organization's team members, for the pool of {@code team.assign}. */
@Component(property = OptionSource.ID + "=" + TeamMemberOptions.ID)
public class TeamMemberOptions implements OptionSource {

    public static final String ID = "team.members";
    private static final int PAGE = 500;

    private final TeamService team;

    @Activate
    public TeamMemberOptions(@Reference TeamService team) {
        this.team = team;
    }

    /** Oldest first; an inactive member is listed (a pool may name one) and says so. */
    @Override
    public List<Option> options(String organizationId) {
        List<Option> options = new ArrayList<>();
        String cursor = null;
        do {
            // The platform checked the caller's membership; the service is asked on the organization's behalf.
            Page<TeamMember> page = team.list(Principal.SYSTEM, organizationId, PAGE, cursor);
            for (TeamMember m : page.items()) {
                options.add(new Option(m.id(), m.active() ? m.name() : m.name() + " (inactive)"));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return options;
    }
}
