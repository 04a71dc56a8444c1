package com.dooneflow.api;

import java.time.Instant;

/** A tenant. {@code role} is the caller's role in it (null when listed by the system). */
public record Organization(String id, String name, Instant createdAt, Role role) {
}
