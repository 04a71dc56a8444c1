package com.dooneflow.api;

import java.time.Instant;

/**
 * An API token as it can be shown again: never its secret. {@code organizationId} is set when the token
 * only works in that organization (tokens handed out when an invitation is accepted).
 */
public record ApiToken(String id, String name, String prefix, String organizationId, Instant createdAt,
                       Instant lastUsedAt) {
}
