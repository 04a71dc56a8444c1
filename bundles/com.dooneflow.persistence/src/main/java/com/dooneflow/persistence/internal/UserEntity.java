package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

import com.dooneflow.api.User;

@Entity
@Proxy(lazy = false)
@Table(name = "df_user")
public class UserEntity {
    @Id
    String id;
    @Column(nullable = false)
    String email;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Column(name = "installation_admin", nullable = false)
    boolean installationAdmin;
    /** The console password as an Argon2id PHC string ({@link PasswordHashes}); null until the user sets one. */
    @Column(name = "password_hash")
    String passwordHash;

    protected UserEntity() {
    }

    UserEntity(String id, String email, Instant createdAt) {
        this.id = id;
        this.email = email;
        this.createdAt = createdAt;
    }

    User toUser() {
        return new User(id, email, createdAt, installationAdmin);
    }
}
