package com.dooneflow.api.audit;

import java.time.Instant;

import com.dooneflow.api.Principal;

/**
 * One change, or one refused attempt, as the audit log keeps it. {@code organizationId} is null for
 * installation-wide entries (connectors installed, master key rotated, sign-in failures, a user's own tokens).
 * {@code summary} names what changed and never holds a secret's value ("authToken changed").
 *
 * @param actorUserId   the acting user; null for the console administrator and for unauthenticated attempts
 * @param actorEmail    the acting user's email, {@code system} for the Karaf console; null when unauthenticated
 * @param actorTokenId  the API token used, null when signed in by the console session or on the Karaf console
 * @param clientAddress where the request came from, {@code console} for the Karaf console
 * @param objectType    e.g. {@code workflow}, {@code member}, {@code integration/twilio}, {@code session}
 * @param action        e.g. {@code create}, {@code update}, {@code delete}, {@code webhook-key}, {@code sign-in-failed}
 */
public record AuditEntry(String id, Instant time, String organizationId, String actorUserId, String actorEmail,
                         String actorTokenId, String clientAddress, String objectType, String objectId, String action,
                         String summary) {

    /** An entry to record: the log gives it its id and time. */
    public static AuditEntry of(String organizationId, Principal actor, String clientAddress, String objectType,
                                String objectId, String action, String summary) {
        return new AuditEntry(null, null, organizationId, actor == null ? null : actor.userId(),
                actor == null ? null : actor.email(), actor == null ? null : actor.tokenId(), clientAddress,
                objectType, objectId, action, summary);
    }
}
