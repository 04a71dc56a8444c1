package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

import com.dooneflow.api.ApiToken;

@Entity
@Proxy(lazy = false)
@Table(name = "df_api_token")
public class ApiTokenEntity {
    @Id
    String id;
    @Column(name = "user_id", nullable = false)
    String userId;
    @Column(name = "org_scope")
    String orgScope;
    @Column(nullable = false)
    String name;
    @Column(nullable = false)
    String prefix;
    @Column(name = "token_hash", nullable = false)
    String tokenHash;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Column(name = "last_used_at")
    Instant lastUsedAt;
    @Column(name = "revoked_at")
    Instant revokedAt;

    protected ApiTokenEntity() {
    }

    ApiTokenEntity(String id, String userId, String orgScope, String name, String prefix, String tokenHash,
                   Instant createdAt) {
        this.id = id;
        this.userId = userId;
        this.orgScope = orgScope;
        this.name = name;
        this.prefix = prefix;
        this.tokenHash = tokenHash;
        this.createdAt = createdAt;
    }

    ApiToken toToken() {
        return new ApiToken(id, name, prefix, orgScope, createdAt, lastUsedAt);
    }
}
