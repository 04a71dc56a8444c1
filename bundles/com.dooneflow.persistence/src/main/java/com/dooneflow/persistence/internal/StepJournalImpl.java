package com.dooneflow.persistence.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.spi.StepJournal;
import com.dooneflow.api.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Step notes in {@code df_step_note}, each written in its own short transaction so it survives a crash. */
@Component(service = StepJournal.class)
public class StepJournalImpl implements StepJournal {

    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** SQLState of a duplicate key on H2 and PostgreSQL (a missing execution, 23503, is an error). */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database db;

    @Activate
    public StepJournalImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public void put(String executionId, int stepIndex, String key, Map<String, Object> value) {
        update(executionId, stepIndex, key, current -> value);
    }

    @Override
    public Map<String, Object> update(String executionId, int stepIndex, String key,
                                      UnaryOperator<Map<String, Object>> change) {
        return Jdbc.tx(db.dataSource(), c -> {
            // A row to lock must exist: racing first writers meet on the primary key, the loser then waits below.
            var savepoint = c.setSavepoint();
            try {
                Jdbc.update(c, "insert into df_step_note (execution_id, step_index, note_key, note, updated_at) "
                        + "values (?, ?, ?, ?, ?)", executionId, stepIndex, key, "null", Instant.now());
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback(savepoint);
            }
            Map<String, Object> current;
            try (PreparedStatement q = Jdbc.bind(c.prepareStatement("select note from df_step_note where "
                    + "execution_id = ? and step_index = ? and note_key = ? for update"), executionId, stepIndex, key);
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                current = read(rs.getString(1)); // null for the row just inserted
            }
            Map<String, Object> next = change.apply(current);
            if (next == null) {
                throw new IllegalArgumentException("a step note update must give a note");
            }
            Jdbc.update(c, "update df_step_note set note = ?, updated_at = ? where execution_id = ? and step_index = ? "
                    + "and note_key = ?", write(next), Instant.now(), executionId, stepIndex, key);
            return next;
        });
    }

    @Override
    public Optional<Map<String, Object>> get(String executionId, int stepIndex, String key) {
        return Jdbc.tx(db.dataSource(), c -> {
            try (PreparedStatement q = Jdbc.bind(c.prepareStatement("select note from df_step_note "
                    + "where execution_id = ? and step_index = ? and note_key = ?"), executionId, stepIndex, key);
                 ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(read(rs.getString(1))) : Optional.empty();
            }
        });
    }

    @Override
    public Map<Integer, Map<String, Map<String, Object>>> notes(String executionId) {
        return Jdbc.tx(db.dataSource(), c -> {
            Map<Integer, Map<String, Map<String, Object>>> notes = new TreeMap<>();
            try (PreparedStatement q = Jdbc.bind(c.prepareStatement("select step_index, note_key, note "
                    + "from df_step_note where execution_id = ?"), executionId);
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    notes.computeIfAbsent(rs.getInt(1), i -> new TreeMap<>()).put(rs.getString(2), read(rs.getString(3)));
                }
            }
            return notes;
        });
    }

    private static String write(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a step note must be plain JSON values", e);
        }
    }

    private static Map<String, Object> read(String json) throws SQLException {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable step note", e);
        }
    }
}
