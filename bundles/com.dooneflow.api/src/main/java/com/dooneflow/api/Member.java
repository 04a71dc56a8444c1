package com.dooneflow.api;

import java.time.Instant;

/** A user's membership in an organization. */
public record Member(String userId, String email, Role role, Instant addedAt) {
}
