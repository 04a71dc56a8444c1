package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Small JDBC transactions for the few statements that are plainer in SQL than in JPA. */
final class Jdbc {

    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private Jdbc() {
    }

    static <T> T tx(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database error: " + e.getMessage(), e);
        }
    }

    /** Binds an instant as UTC wall time, the way the JPA side stores times, whatever this JVM's zone. */
    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static Instant getInstant(java.sql.ResultSet rs, String column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    /** Binds each value in order; Instants as UTC, nulls as VARCHAR nulls. */
    static PreparedStatement bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof Instant t) {
                setInstant(ps, i + 1, t);
            } else if (v == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else {
                ps.setObject(i + 1, v);
            }
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), values)) {
            return ps.executeUpdate();
        }
    }

    /** SQLState class 23: integrity constraint violation (a duplicate key, on H2 and PostgreSQL alike). */
    static boolean isDuplicate(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
