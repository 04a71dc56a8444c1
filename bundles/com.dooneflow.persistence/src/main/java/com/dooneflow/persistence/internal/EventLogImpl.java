package com.dooneflow.persistence.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.persistence.TypedQuery;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.Event;
import com.dooneflow.api.EventLog;
import com.dooneflow.api.Page;
import com.dooneflow.api.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The event log in {@code df_event}, paged newest first with an opaque (time, id) cursor ({@link Cursors}). */
@Component(service = EventLog.class)
public class EventLogImpl implements EventLog {

    private static final ObjectMapper JSON = Json.mapper();

    private final Database db;

    @Activate
    public EventLogImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Event record(String orgId, Event.Level level, String source, String message, Map<String, Object> details) {
        String text = message.length() > 2000 ? message.substring(0, 1997) + "..." : message;
        EventEntity e = new EventEntity(Ids.uuid(), orgId, OrganizationServiceImpl.now(), level.name(), source, text,
                toJson(details));
        db.run(em -> em.persist(e));
        return toEvent(e);
    }

    @Override
    public Page<Event> list(String orgId, Instant from, Instant to, int limit, String cursor) {
        int size = Math.max(1, Math.min(limit, 500));
        return db.tx(em -> {
            StringBuilder q = new StringBuilder("select e from EventEntity e where e.orgId = :o");
            if (from != null) {
                q.append(" and e.time >= :from");
            }
            if (to != null) {
                q.append(" and e.time < :to");
            }
            Cursors.Position after = Cursors.decode(cursor);
            if (after != null) {
                q.append(" and (e.time < :ct or (e.time = :ct and e.id < :cid))");
            }
            q.append(" order by e.time desc, e.id desc");
            TypedQuery<EventEntity> query = em.createQuery(q.toString(), EventEntity.class).setParameter("o", orgId);
            if (from != null) {
                query.setParameter("from", from);
            }
            if (to != null) {
                query.setParameter("to", to);
            }
            if (after != null) {
                query.setParameter("ct", after.time()).setParameter("cid", after.id());
            }
            List<EventEntity> rows = query.setMaxResults(size + 1).getResultList();
            String next = null;
            if (rows.size() > size) {
                rows = rows.subList(0, size);
                EventEntity last = rows.get(size - 1);
                next = Cursors.encode(last.time, last.id);
            }
            return new Page<>(rows.stream().map(EventLogImpl::toEvent).toList(), next);
        });
    }

    private static String toJson(Map<String, Object> details) {
        try {
            return details == null || details.isEmpty() ? null : JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Event toEvent(EventEntity e) {
        Map<String, Object> details = Map.of();
        if (e.details != null) {
            try {
                details = JSON.readValue(e.details, new TypeReference<LinkedHashMap<String, Object>>() {
                });
            } catch (JsonProcessingException ex) {
                details = Map.of("raw", e.details);
            }
        }
        return new Event(e.id, e.orgId, e.time, Event.Level.valueOf(e.level), e.source, e.message, details);
    }
}
