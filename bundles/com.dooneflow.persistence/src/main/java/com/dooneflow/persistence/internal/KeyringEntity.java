package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

/** The keyring's one row: which data key encrypts new secrets. Its lock orders writers and rotations. */
@Entity
@Proxy(lazy = false)
@Table(name = "df_keyring")
public class KeyringEntity {
    static final int ID = 1;

    @Id
    int id;
    @Column(name = "active_key_id")
    String activeKeyId;
    @Column(name = "rotated_at")
    Instant rotatedAt;

    protected KeyringEntity() {
    }
}
