package com.dooneflow.api;

import java.time.Instant;

/**
 * A person who signs in. {@code installationAdmin}: an installation administrator, who may see and run the
 * installation itself (its nodes, its connectors) beyond any organization; granted from the Karaf console.
 */
public record User(String id, String email, Instant createdAt, boolean installationAdmin) {

    /** A user who is no installation administrator. */
    public User(String id, String email, Instant createdAt) {
        this(id, email, createdAt, false);
    }
}
