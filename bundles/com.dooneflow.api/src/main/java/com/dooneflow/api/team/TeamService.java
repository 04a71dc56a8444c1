package com.dooneflow.api.team;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;

/**
 * Team members per organization and the round-robin rotation over them. Methods taking a {@link Principal}
 * check it like every core service: owners and admins manage, members read, another organization's ids are not
 * found. {@link #assign} is for the {@code team.assign} action, which runs on behalf of the organization.
 */
@ProviderType
public interface TeamService {

    /** The highest weight a member may get in one pool. */
    int MAX_WEIGHT = 100;

    /** Oldest first. */
    Page<TeamMember> list(Principal caller, String orgId, int limit, String cursor);

    TeamMember get(Principal caller, String orgId, String id);

    /** Validates the input (name required, phone in E.164 with its country code, email) and creates the member. */
    TeamMember create(Principal caller, String orgId, TeamMemberInput input);

    /** Changes the fields given; deactivating keeps the member's history, reactivating rejoins the rotation. */
    TeamMember update(Principal caller, String orgId, String id, TeamMemberInput changes);

    /** Removes the member from lists and rotations; its assignments stay in the log under the recorded name. */
    void delete(Principal caller, String orgId, String id);

    /** One member's assignments, newest first; {@code from}/{@code to} bound {@code assignedAt} when given. */
    Page<Assignment> assignments(Principal caller, String orgId, String memberId, Instant from, Instant to, int limit,
                                 String cursor);

    /** The organization's assignment log, newest first, optionally only one execution's. */
    Page<Assignment> log(Principal caller, String orgId, String executionId, Instant from, Instant to, int limit,
                         String cursor);

    /** How many contacts each member got in {@code [from, to)}. */
    TeamStats stats(Principal caller, String orgId, Instant from, Instant to);

    /**
     * Hands the contact to the next member of the pool, advancing the pool's rotation atomically in the database
     * (fair across threads and nodes). A repeated {@code idempotencyKey} returns the first assignment unchanged.
     *
     * @throws NoActiveTeamMemberException when no member of the pool is active
     * @throws com.dooneflow.api.ValidationException when the pool or weights name unknown members or bad weights
     */
    Assignment assign(AssignmentRequest request);
}
