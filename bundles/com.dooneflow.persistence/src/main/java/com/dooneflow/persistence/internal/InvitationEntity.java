package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.Role;

@Entity
@Proxy(lazy = false)
@Table(name = "df_invitation")
public class InvitationEntity {
    @Id
    String id;
    @Column(name = "org_id", nullable = false)
    String orgId;
    @Column(nullable = false)
    String email;
    @Column(nullable = false)
    String role;
    /** A stored status never reads {@code EXPIRED}: a pending invitation past {@link #expiresAt} is shown expired. */
    @Column(nullable = false)
    String status;
    @Column(name = "token_hash", nullable = false)
    String tokenHash;
    @Column(name = "invited_by", nullable = false)
    String invitedBy;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    protected InvitationEntity() {
    }

    InvitationEntity(String id, String orgId, String email, Role role, String tokenHash, String invitedBy,
                     Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.orgId = orgId;
        this.email = email;
        this.role = role.name();
        this.status = InvitationStatus.PENDING.name();
        this.tokenHash = tokenHash;
        this.invitedBy = invitedBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    InvitationStatus status(Instant now) {
        InvitationStatus stored = InvitationStatus.valueOf(status);
        return stored == InvitationStatus.PENDING && !expiresAt.isAfter(now) ? InvitationStatus.EXPIRED : stored;
    }

    Invitation toInvitation(String organizationName, Instant now) {
        return new Invitation(id, orgId, organizationName, email, Role.valueOf(role), status(now), invitedBy, createdAt,
                expiresAt);
    }
}
