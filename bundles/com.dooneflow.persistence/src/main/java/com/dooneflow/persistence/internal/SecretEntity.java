package com.dooneflow.persistence.internal;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

/** One encrypted secret; {@code ciphertext} is the vault's envelope, never plaintext. */
@Entity
@Proxy(lazy = false)
@Table(name = "df_secret")
@IdClass(SecretEntity.Key.class)
public class SecretEntity {
    @Id
    @Column(name = "org_id")
    String orgId;
    @Id
    @Column(name = "owner_id")
    String ownerId;
    @Id
    String field;
    @Column(nullable = false)
    String ciphertext;
    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected SecretEntity() {
    }

    SecretEntity(String orgId, String ownerId, String field, String ciphertext, Instant updatedAt) {
        this.orgId = orgId;
        this.ownerId = ownerId;
        this.field = field;
        this.ciphertext = ciphertext;
        this.updatedAt = updatedAt;
    }

    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        String orgId;
        String ownerId;
        String field;

        public Key() {
        }

        Key(String orgId, String ownerId, String field) {
            this.orgId = orgId;
            this.ownerId = ownerId;
            this.field = field;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(orgId, k.orgId) && Objects.equals(ownerId, k.ownerId)
                    && Objects.equals(field, k.field);
        }

        @Override
        public int hashCode() {
            return Objects.hash(orgId, ownerId, field);
        }
    }
}
