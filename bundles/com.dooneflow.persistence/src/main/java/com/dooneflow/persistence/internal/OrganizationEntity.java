package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

@Entity
@Proxy(lazy = false)
@Table(name = "df_organization")
public class OrganizationEntity {
    @Id
    String id;
    @Column(nullable = false)
    String name;
    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    protected OrganizationEntity() {
    }

    OrganizationEntity(String id, String name, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.createdAt = createdAt;
    }
}
