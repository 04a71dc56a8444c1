package com.dooneflow.api;

import java.time.Instant;

/**
 * An invitation to join an organization with a role. It says nothing about whether an account with that email
 * exists. {@code invitedBy} is the inviter's email ({@code console} for the Karaf console).
 */
public record Invitation(String id, String organizationId, String organizationName, String email, Role role,
                         InvitationStatus status, String invitedBy, Instant createdAt, Instant expiresAt) {
}
