package com.dooneflow.api.audit;

import java.time.Instant;

/**
 * What to list; null fields do not filter. {@code actor} matches the user id, the email or the token id;
 * {@code from} is inclusive, {@code to} exclusive.
 */
public record AuditFilter(String actor, String objectType, String objectId, String action, Instant from, Instant to) {

    public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);
}
