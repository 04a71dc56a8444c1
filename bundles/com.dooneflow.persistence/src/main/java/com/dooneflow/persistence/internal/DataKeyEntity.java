package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

/** One data key, wrapped by the master key {@code masterKeyId} names; never the key itself. */
@Entity
@Proxy(lazy = false)
@Table(name = "df_data_key")
public class DataKeyEntity {
    @Id
    String id;
    @Column(name = "wrapped_key", nullable = false)
    String wrappedKey;
    @Column(name = "master_key_id", nullable = false)
    String masterKeyId;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    protected DataKeyEntity() {
    }

    DataKeyEntity(String id, String wrappedKey, String masterKeyId, Instant createdAt) {
        this.id = id;
        this.wrappedKey = wrappedKey;
        this.masterKeyId = masterKeyId;
        this.createdAt = createdAt;
    }
}
