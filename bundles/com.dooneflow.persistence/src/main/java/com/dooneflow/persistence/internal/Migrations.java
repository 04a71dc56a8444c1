package com.dooneflow.persistence.internal;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ResourceAccessor;

/** Brings the schema to the newest version with Liquibase, before anything else touches it. */
final class Migrations {

    static final String CHANGELOG = "db/changelog/db.changelog-master.xml";

    private Migrations() {
    }

    static void migrate(DataSource dataSource, ResourceAccessor resources) {
        Map<String, Object> scope = Map.of(
                Scope.Attr.classLoader.name(), Liquibase.class.getClassLoader(),
                Scope.Attr.resourceAccessor.name(), resources,
                "liquibase.analytics.enabled", false);
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
        }
    }
}
