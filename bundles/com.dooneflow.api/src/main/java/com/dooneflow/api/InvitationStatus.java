package com.dooneflow.api;

/**
 * Where an invitation stands. {@code PENDING} until the invited person accepts or declines, an owner or admin
 * revokes it (or invites the same email again), or it expires.
 */
public enum InvitationStatus {
    PENDING, ACCEPTED, DECLINED, REVOKED, EXPIRED
}
