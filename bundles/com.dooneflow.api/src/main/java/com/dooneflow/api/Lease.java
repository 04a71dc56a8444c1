package com.dooneflow.api;

import java.time.Instant;

/** A held lease. {@code fencingToken} grows with every new holder, so stale holders can be told apart. */
public record Lease(String name, String holder, long fencingToken, Instant expiresAt) {
}
