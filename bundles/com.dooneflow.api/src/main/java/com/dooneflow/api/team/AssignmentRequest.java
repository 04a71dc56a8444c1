package com.dooneflow.api.team;

import java.util.List;
import java.util.Map;

/**
 * One {@code team.assign} step asking for the next team member.
 *
 * @param idempotencyKey the same for every attempt of the step: a retry gets the assignment made before
 * @param pool           member ids to rotate among; null or empty = every active member of the organization
 * @param weights        member id → weight (1 to {@value TeamService#MAX_WEIGHT}); members left out weigh 1
 */
public record AssignmentRequest(String organizationId, String executionId, int stepIndex, String idempotencyKey,
                                List<String> pool, Map<String, Integer> weights, Contact contact) {

    public AssignmentRequest {
        pool = pool == null ? List.of() : List.copyOf(pool);
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        contact = contact == null ? Contact.NONE : contact;
    }
}
