package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

/** A password reset: only the SHA-256 hash of its secret; usable while unused and unexpired. */
@Entity
@Proxy(lazy = false)
@Table(name = "df_password_reset")
public class PasswordResetEntity {
    @Id
    String id;
    @Column(name = "user_id", nullable = false)
    String userId;
    @Column(name = "token_hash", nullable = false)
    String tokenHash;
    /** The owner or admin who made it; null when the person asked for it ("Forgot password?"). */
    @Column(name = "created_by")
    String createdBy;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;
    @Column(name = "used_at")
    Instant usedAt;

    protected PasswordResetEntity() {
    }

    PasswordResetEntity(String id, String userId, String tokenHash, String createdBy, Instant createdAt,
                        Instant expiresAt) {
        this.id = id;
        this.userId = userId;
        this.tokenHash = tokenHash;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean usable(Instant now) {
        return usedAt == null && expiresAt.isAfter(now);
    }
}
