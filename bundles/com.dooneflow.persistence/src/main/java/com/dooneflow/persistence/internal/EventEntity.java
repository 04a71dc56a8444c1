package com.dooneflow.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.hibernate.annotations.Proxy;

@Entity
@Proxy(lazy = false)
@Table(name = "df_event")
public class EventEntity {
    @Id
    String id;
    @Column(name = "org_id", nullable = false)
    String orgId;
    @Column(name = "event_time", nullable = false)
    Instant time;
    @Column(nullable = false)
    String level;
    @Column(nullable = false)
    String source;
    @Column(nullable = false)
    String message;
    String details;

    protected EventEntity() {
    }

    EventEntity(String id, String orgId, Instant time, String level, String source, String message, String details) {
        this.id = id;
        this.orgId = orgId;
        this.time = time;
        this.level = level;
        this.source = source;
        this.message = message;
        this.details = details;
    }
}
