package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

@Entity
@Proxy(lazy = false)
/** Large text is mapped as a plain string on purpose: @Lob would store PostgreSQL large-object ids. */
@Table(name = "df_settings")
public class SettingsEntity {
    @Id
    String id;
    @Column(name = "org_id", nullable = false)
    String orgId;
    @Column(nullable = false)
    String connector;
    @Column(nullable = false)
    String name;
    @Column(nullable = false)
    String data;
    @Column(nullable = false)
    long version;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected SettingsEntity() {
    }

    SettingsEntity(String id, String orgId, String connector, String name, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.connector = connector;
        this.name = name;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
