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

@Entity
@Proxy(lazy = false)
@Table(name = "df_membership")
@IdClass(MembershipEntity.Key.class)
public class MembershipEntity {
    @Id
    @Column(name = "org_id")
    String orgId;
    @Id
    @Column(name = "user_id")
    String userId;
    @Column(nullable = false)
    String role;
    @Column(name = "added_at", nullable = false)
    Instant addedAt;

    protected MembershipEntity() {
    }

    MembershipEntity(String orgId, String userId, String role, Instant addedAt) {
        this.orgId = orgId;
        this.userId = userId;
        this.role = role;
        this.addedAt = addedAt;
    }

    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        String orgId;
        String userId;

        public Key() {
        }

        Key(String orgId, String userId) {
            this.orgId = orgId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(orgId, k.orgId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(orgId, userId);
        }
    }
}
