package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.hibernate.jpa.HibernatePersistenceProvider;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import liquibase.Scope;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Fresh, migrated databases for tests: a private in-memory H2 database, or a throw-away database on the
 * PostgreSQL server at 127.0.0.1:5432 (user postgres, trust auth; override with -Ddooneflow.test.pg.url /
 * -Ddooneflow.test.pg.user). An unreachable PostgreSQL fails the test; nothing is skipped.
 */
final class TestDatabases {

    static final String PG_SERVER_URL = System.getProperty("dooneflow.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/");
    static final String PG_USER = System.getProperty("dooneflow.test.pg.user", "postgres");

    /** Strong references, so the quieter levels are not garbage collected with the loggers. */
    private static final Logger[] QUIET = {
            Logger.getLogger("liquibase"), Logger.getLogger("org.hibernate")};

    static {
        for (Logger logger : QUIET) {
            logger.setLevel(Level.WARNING);
        }
        System.setProperty("liquibase.showSummaryOutput", "LOG");
    }

    private TestDatabases() {
    }

    static TestDatabase create(DbKind kind) {
        String name = "dooneflow_ut_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return kind == DbKind.H2 ? h2(name) : postgres(name);
    }

    private static TestDatabase h2(String name) {
        HikariConfig pool = pool("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", null);
        return new TestDatabase(DbKind.H2, open(pool), () -> { });
    }

    private static TestDatabase postgres(String name) {
        adminExecute("create database " + name);
        try {
            return new TestDatabase(DbKind.POSTGRES, open(pool(PG_SERVER_URL + name, PG_USER)),
                    () -> adminExecute("drop database if exists " + name + " with (force)"));
        } catch (RuntimeException e) {
            adminExecute("drop database if exists " + name + " with (force)");
            throw e;
        }
    }

    private static HikariConfig pool(String url, String user) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("dooneflow-test");
        pool.setJdbcUrl(url);
        if (user != null) {
            pool.setUsername(user);
        }
        pool.setMaximumPoolSize(12);
        pool.setConnectionTimeout(10_000);
        return pool;
    }

    private static Database open(HikariConfig pool) {
        HikariDataSource ds = new HikariDataSource(pool);
        try {
            // Liquibase's progress goes to its log (quietened above) instead of standard output.
            return Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> new Database(ds,
                    new ClassLoaderResourceAccessor(TestDatabases.class.getClassLoader()), new HibernatePersistenceProvider()));
        } catch (Exception e) {
            ds.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static void adminExecute(String sql) {
        try (Connection c = DriverManager.getConnection(PG_SERVER_URL + "postgres", PG_USER, null);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_SERVER_URL + " is required for these tests: "
                    + e.getMessage(), e);
        }
    }

    /** A migrated database with its services' {@link Database}, plus plain-JDBC helpers to look behind them. */
    static final class TestDatabase implements AutoCloseable {
        final DbKind kind;
        final Database db;
        private final Runnable drop;

        TestDatabase(DbKind kind, Database db, Runnable drop) {
            this.kind = kind;
            this.db = db;
            this.drop = drop;
        }

        /** Runs an insert/update/delete; returns the number of rows changed. */
        int update(String sql, Object... params) {
            try (Connection c = db.dataSource().getConnection(); PreparedStatement s = prepare(c, sql, params)) {
                return s.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The first column of the first row, or null when there is no row. */
        Object queryValue(String sql, Object... params) {
            try (Connection c = db.dataSource().getConnection(); PreparedStatement s = prepare(c, sql, params);
                 ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Every column of the first row, by lower-case column name; empty when there is no row. */
        Map<String, Object> queryRow(String sql, Object... params) {
            try (Connection c = db.dataSource().getConnection(); PreparedStatement s = prepare(c, sql, params);
                 ResultSet rs = s.executeQuery()) {
                Map<String, Object> row = new LinkedHashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                }
                return row;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        String queryString(String sql, Object... params) {
            Object v = queryValue(sql, params);
            return v == null ? null : v.toString();
        }

        long count(String sql, Object... params) {
            return ((Number) queryValue(sql, params)).longValue();
        }

        /** Empties the tables, in the order given (children first). */
        void wipe(String... tables) {
            for (String table : tables) {
                update("delete from " + table);
            }
        }

        private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
            PreparedStatement s = c.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s;
        }

        @Override
        public void close() {
            try {
                if (kind == DbKind.H2) {
                    update("shutdown");
                }
            } catch (RuntimeException ignored) {
                // the pool is closing anyway
            } finally {
                db.close();
                drop.run();
            }
        }
    }
}
