package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

/** A console session: the hash of its secret, whose it is, when it was last used and when it ends at the latest. */
@Entity
@Proxy(lazy = false)
@Table(name = "df_session")
public class SessionEntity {
    @Id
    String id;
    @Column(name = "token_hash", nullable = false)
    String tokenHash;
    @Column(name = "user_id", nullable = false)
    String userId;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Column(name = "last_seen_at", nullable = false)
    Instant lastSeenAt;
    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    protected SessionEntity() {
    }

    SessionEntity(String id, String tokenHash, String userId, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.tokenHash = tokenHash;
        this.userId = userId;
        this.createdAt = createdAt;
        this.lastSeenAt = createdAt;
        this.expiresAt = expiresAt;
    }
}
