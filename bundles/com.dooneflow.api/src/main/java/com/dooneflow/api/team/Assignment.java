package com.dooneflow.api.team;

import java.time.Instant;

/**
 * One contact handed to one team member. The member's name, phone and email are kept as they were at the time,
 * so the log stays readable after the member changes or is deleted.
 *
 * @param turn the assignment's position in its pool's rotation (1, 2, 3, ...): never handed out twice
 */
public record Assignment(String id, String teamMemberId, String teamMemberName, String teamMemberPhone,
                         String teamMemberEmail, String executionId, int stepIndex, long turn, String contactName,
                         String contactPhone, String contactEmail, Instant assignedAt) {
}
