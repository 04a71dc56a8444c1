package com.dooneflow.api.team;

import java.time.Instant;

/**
 * A person contacts are assigned to. {@code phone} is E.164 ({@code +15551234567}); {@code email} may be null.
 * Inactive members keep their history but get no new assignments.
 */
public record TeamMember(String id, String name, String phone, String email, boolean active, Instant createdAt,
                         Instant updatedAt) {
}
