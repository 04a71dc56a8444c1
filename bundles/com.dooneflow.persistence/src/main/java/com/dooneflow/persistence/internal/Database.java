package com.dooneflow.persistence.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.spi.PersistenceProvider;
import javax.sql.DataSource;

import org.osgi.framework.Bundle;
import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import liquibase.resource.OSGiResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The database: a pooled datasource (PostgreSQL when {@code DOONEFLOW_DB_URL} / {@code db.url} is set,
 * embedded H2 under {@code data/} otherwise), migrated to the newest schema before anyone can use it, and
 * the JPA entity manager factory over it. {@link DatabaseStarter} opens it and registers it as a service.
 */
public class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final EntityManagerFactory emf;
    private final boolean postgres;
    private final int intakeCommitters;
    /**
     * Two: one batch commits while the next gathers. More committers split concurrent requests into smaller
     * batches and more database sessions competing for the CPU; on the benchmark's 2 cores, 4 committers
     * gave a p99 at concurrency 16 of 16-92 ms against 11-13 ms with 2 (bench/webhook-load.sh).
     */
    static final int DEFAULT_INTAKE_COMMITTERS = 2;

    static Database open(Settings settings, Bundle bundle, DataSourceFactory h2, DataSourceFactory postgresql,
                         PersistenceProvider provider) throws SQLException {
        String url = settings.get("db.url", "DOONEFLOW_DB_URL");
        if (url == null) {
            Path dir = Path.of(System.getProperty("karaf.data", "data"), "dooneflow").toAbsolutePath();
            url = "jdbc:h2:file:" + dir.resolve("dooneflow") + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        boolean postgres = url.startsWith("jdbc:postgresql:");
        Properties props = new Properties();
        props.put(DataSourceFactory.JDBC_URL, url);
        String user = settings.get("db.user", "DOONEFLOW_DB_USER");
        String password = settings.get("db.password", "DOONEFLOW_DB_PASSWORD");
        if (user != null) {
            props.put(DataSourceFactory.JDBC_USER, user);
        }
        if (password != null) {
            props.put(DataSourceFactory.JDBC_PASSWORD, password);
        }
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("dooneflow");
        // The pool's own meters (hikaricp_connections_*), kept only when the metrics bundle is on.
        pool.setMetricRegistry(io.micrometer.core.instrument.Metrics.globalRegistry);
        pool.setDataSource((postgres ? postgresql : h2).createDataSource(props));
        pool.setMaximumPoolSize(settings.positiveInt("db.poolSize", "DOONEFLOW_DB_POOL_SIZE", 16));
        int committers = settings.positiveInt("db.intakeCommitters", "DOONEFLOW_DB_INTAKE_COMMITTERS",
                DEFAULT_INTAKE_COMMITTERS);
        HikariDataSource dataSource = new HikariDataSource(pool);
        try {
            Database db = new Database(dataSource, postgres, new OSGiResourceAccessor(bundle), provider, committers);
            LOG.info("DooneFlow database ready: {} {}", postgres ? "PostgreSQL" : "embedded H2", redact(url));
            return db;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private Database(HikariDataSource dataSource, boolean postgres, ResourceAccessor resources,
                     PersistenceProvider provider, int intakeCommitters) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.intakeCommitters = intakeCommitters;
        // Hibernate builds its metamodel without looking at the schema (hbm2ddl none), so it needs no wait for the
        // migrations: the two take about as long each, on two threads the start is shorter by the shorter of them.
        CompletableFuture<EntityManagerFactory> jpa = CompletableFuture.supplyAsync(
                () -> createEntityManagerFactory(provider, dataSource), task -> {
                    Thread builder = new Thread(task, "dooneflow-jpa-start");
                    builder.setDaemon(true);
                    builder.start();
                });
        try {
            Migrations.migrateIfChanged(dataSource, resources);
        } catch (RuntimeException e) {
            jpa.thenAccept(EntityManagerFactory::close);
            throw e;
        }
        this.emf = awaitEntityManagerFactory(jpa);
    }

    private static EntityManagerFactory awaitEntityManagerFactory(CompletableFuture<EntityManagerFactory> jpa) {
        try {
            return jpa.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** For tests outside OSGi. */
    Database(HikariDataSource dataSource, ResourceAccessor resources, PersistenceProvider provider) {
        this(dataSource, dataSource.getJdbcUrl() != null && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:"),
                resources, provider, DEFAULT_INTAKE_COMMITTERS);
    }

    private static EntityManagerFactory createEntityManagerFactory(PersistenceProvider provider, DataSource ds) {
        return provider.createContainerEntityManagerFactory(new PersistenceUnit(ds), new HashMap<>());
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    public void close() {
        emf.close();
        dataSource.close();
    }

    /** Threads that commit accepted trigger events (each commit carries a batch of concurrent ones). */
    public int intakeCommitters() {
        return intakeCommitters;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** Runs {@code work} in one transaction; rolls back on any exception. */
    public <T> T tx(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } finally {
            if (tx.isActive()) {
                tx.rollback();
            }
            em.close();
        }
    }

    public void run(Consumer<EntityManager> work) {
        tx(em -> {
            work.accept(em);
            return null;
        });
    }

    /** True when the database answers within two seconds. */
    public boolean ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
