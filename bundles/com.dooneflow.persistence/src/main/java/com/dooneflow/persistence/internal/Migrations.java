package com.dooneflow.persistence.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ResourceAccessor;

/**
 * Brings the schema to the newest version with Liquibase, before anything else touches it. A database that went
 * through exactly these changelogs already (their SHA-256 and the count of applied changesets, recorded in
 * {@code df_schema_state} after each run) is left alone: on a restart Liquibase would find nothing to do, after
 * taking seconds and loading a thousand classes to find it out.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    static final String CHANGELOG = "db/changelog/db.changelog-master.xml";
    private static final Pattern INCLUDE = Pattern.compile("<include\\s+file=\"([^\"]+)\"");

    private Migrations() {
    }

    /** Runs the migrations unless the database records exactly this changelog and its changesets as applied. */
    static void migrateIfChanged(DataSource dataSource, ResourceAccessor resources) {
        String fingerprint = fingerprint();
        if (fingerprint.equals(recordedFingerprint(dataSource))) {
            LOG.info("Database schema is current (changelog {}): no migrations to run", fingerprint.substring(0, 12));
            return;
        }
        migrate(dataSource, resources, fingerprint);
    }

    /** Runs the migrations (Liquibase applies what is missing) and records the changelog they came from. */
    private static void migrate(DataSource dataSource, ResourceAccessor resources, String fingerprint) {
        ClassLoader liquibase = Liquibase.class.getClassLoader(); // this bundle's: Liquibase is inside it
        Map<String, Object> scope = Map.of(
                Scope.Attr.classLoader.name(), liquibase,
                Scope.Attr.resourceAccessor.name(), resources,
                "liquibase.analytics.enabled", false);
        // Liquibase's root scope, made on first use, finds its services through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(liquibase);
        try {
            Scope.child(scope, () -> {
                try (Connection connection = dataSource.getConnection()) {
                    liquibase.database.Database database = DatabaseFactory.getInstance()
                            .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                    new Liquibase(CHANGELOG, resources, database).update(new Contexts(), new LabelExpression());
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("database migration failed: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(context);
        }
        record(dataSource, fingerprint);
    }

    /** The recorded fingerprint, or null when there is none or databasechangelog has changed since. */
    private static String recordedFingerprint(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select changelog_sha256, changesets, "
                     + "(select count(*) from databasechangelog) from df_schema_state where id = 1")) {
            return rs.next() && rs.getInt(2) == rs.getInt(3) ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null; // a database from before 018, or a new one: Liquibase decides
        }
    }

    private static void record(DataSource dataSource, String fingerprint) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update df_schema_state set changelog_sha256 = ?, "
                     + "changesets = (select count(*) from databasechangelog), migrated_at = ? where id = 1")) {
            ps.setString(1, fingerprint);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        } catch (SQLException e) {
            // The schema is migrated; without the record the next start merely runs Liquibase again.
            LOG.warn("Could not record the migrated changelog ({}); the next start runs the migrations again",
                    e.getMessage());
        }
    }

    /** SHA-256 of the master changelog and every file it includes, in order. */
    static String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] master = read(CHANGELOG);
            sha.update(master);
            Matcher include = INCLUDE.matcher(new String(master, StandardCharsets.UTF_8));
            while (include.find()) {
                sha.update(read(include.group(1)));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(String path) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("changelog " + path + " is missing from the bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("changelog " + path + " could not be read", e);
        }
    }
}
