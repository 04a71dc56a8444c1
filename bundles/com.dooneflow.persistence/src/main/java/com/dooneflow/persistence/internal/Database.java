package com.dooneflow.persistence.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.spi.PersistenceProvider;
import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import liquibase.resource.OSGiResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * The database: a pooled datasource (PostgreSQL when {@code DOONEFLOW_DB_URL} / {@code db.url} is set,
 * embedded H2 under {@code data/} otherwise), migrated to the newest schema before this service appears,
 * and the JPA entity manager factory over it.
 */
@Component(service = Database.class, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final EntityManagerFactory emf;
    private final boolean postgres;

    @Activate
    public Database(Map<String, Object> config, BundleContext context,
                    @Reference(target = "(osgi.jdbc.driver.class=org.h2.Driver)") DataSourceFactory h2,
                    @Reference(target = "(osgi.jdbc.driver.class=org.postgresql.Driver)") DataSourceFactory postgresql,
                    @Reference(target = "(javax.persistence.provider=org.hibernate.jpa.HibernatePersistenceProvider)")
                    PersistenceProvider provider) throws SQLException {
        Settings settings = Settings.of(config);
        String url = settings.get("db.url", "DOONEFLOW_DB_URL");
        if (url == null) {
            Path dir = Path.of(System.getProperty("karaf.data", "data"), "dooneflow").toAbsolutePath();
            url = "jdbc:h2:file:" + dir.resolve("dooneflow") + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        this.postgres = url.startsWith("jdbc:postgresql:");
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
        DataSourceFactory factory = postgres ? postgresql : h2;
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("dooneflow");
        pool.setDataSource(factory.createDataSource(props));
        pool.setMaximumPoolSize(Integer.parseInt(settings.get("db.poolSize", "DOONEFLOW_DB_POOL_SIZE") == null
                ? "16" : settings.get("db.poolSize", "DOONEFLOW_DB_POOL_SIZE")));
        this.dataSource = new HikariDataSource(pool);
        try {
            Migrations.migrate(dataSource, new OSGiResourceAccessor(context.getBundle()));
            this.emf = createEntityManagerFactory(provider, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        LOG.info("DooneFlow database ready: {}", postgres ? "PostgreSQL " + redact(url) : "embedded H2 " + redact(url));
    }

    /** For tests outside OSGi. */
    Database(HikariDataSource dataSource, ResourceAccessor resources, PersistenceProvider provider) {
        this.dataSource = dataSource;
        this.postgres = dataSource.getJdbcUrl() != null && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
        Migrations.migrate(dataSource, resources);
        this.emf = createEntityManagerFactory(provider, dataSource);
    }

    private static EntityManagerFactory createEntityManagerFactory(PersistenceProvider provider, DataSource ds) {
        return provider.createContainerEntityManagerFactory(new PersistenceUnit(ds), new HashMap<>());
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    @Deactivate
    public void close() {
        emf.close();
        dataSource.close();
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
