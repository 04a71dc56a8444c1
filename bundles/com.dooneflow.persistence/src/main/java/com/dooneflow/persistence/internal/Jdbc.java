package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.dooneflow.api.OutcomeUnknownException;

/** Small JDBC transactions for the few statements that are plainer in SQL than in JPA. */
final class Jdbc {

    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private Jdbc() {
    }

    /**
     * Runs {@code work} in one transaction. A failure before the commit rolls back (nothing was written); a
     * failure of the commit itself is an {@link OutcomeUnknownException}, because the server may have committed
     * before its answer was lost.
     */
    static <T> T tx(DataSource ds, Work<T> work) {
        Connection c;
        try {
            c = ds.getConnection();
        } catch (SQLException e) {
            throw databaseError(e);
        }
        try {
            T result;
            try {
                c.setAutoCommit(false);
                result = work.apply(c);
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e instanceof SQLException s ? databaseError(s) : (RuntimeException) e;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                throw new OutcomeUnknownException("the database failed while committing: " + e.getMessage(), e);
            }
            return result;
        } finally {
            close(c);
        }
    }

    private static IllegalStateException databaseError(SQLException e) {
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }

    private static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e); // a broken connection: the server rolls back on its own
        }
    }

    /** Hands the connection back; failing to do so changes nothing about the transaction's outcome. */
    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // the pool drops a connection that cannot be closed
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

    /** True when {@code sql} finds a row. */
    static boolean exists(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), values); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
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

    /** A text matched literally inside a LIKE pattern written with {@code escape '!'}. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
