package com.dooneflow.persistence.internal;

import java.net.URL;
import java.util.List;
import java.util.Properties;

import javax.persistence.SharedCacheMode;
import javax.persistence.ValidationMode;
import javax.persistence.spi.ClassTransformer;
import javax.persistence.spi.PersistenceUnitInfo;
import javax.persistence.spi.PersistenceUnitTransactionType;
import javax.sql.DataSource;

/**
 * The one persistence unit, described in code so the datasource and class loader are ours to give. Its entities are
 * {@code @Proxy(lazy = false)}: nothing here loads an entity lazily (no associations, no getReference), and without
 * it Hibernate generates a proxy class per entity with Byte Buddy at every start.
 */
final class PersistenceUnit implements PersistenceUnitInfo {

    static final List<Class<?>> ENTITIES = List.of(OrganizationEntity.class, UserEntity.class, MembershipEntity.class,
            ApiTokenEntity.class, SecretEntity.class, SettingsEntity.class, EventEntity.class, InvitationEntity.class,
            SessionEntity.class, PasswordResetEntity.class, DataKeyEntity.class, KeyringEntity.class);

    private final DataSource dataSource;
    private final Properties properties = new Properties();

    PersistenceUnit(DataSource dataSource) {
        this.dataSource = dataSource;
        properties.put("hibernate.hbm2ddl.auto", "none");
        properties.put("hibernate.jdbc.time_zone", "UTC");
        properties.put("hibernate.jdbc.batch_size", "50");
        properties.put("hibernate.order_inserts", "true");
    }

    @Override public String getPersistenceUnitName() { return "dooneflow"; }
    @Override public String getPersistenceProviderClassName() { return "org.hibernate.jpa.HibernatePersistenceProvider"; }
    @Override public PersistenceUnitTransactionType getTransactionType() { return PersistenceUnitTransactionType.RESOURCE_LOCAL; }
    @Override public DataSource getJtaDataSource() { return null; }
    @Override public DataSource getNonJtaDataSource() { return dataSource; }
    @Override public List<String> getMappingFileNames() { return List.of(); }
    @Override public List<URL> getJarFileUrls() { return List.of(); }
    @Override public URL getPersistenceUnitRootUrl() { return null; }
    @Override public List<String> getManagedClassNames() { return ENTITIES.stream().map(Class::getName).toList(); }
    @Override public boolean excludeUnlistedClasses() { return true; }
    @Override public SharedCacheMode getSharedCacheMode() { return SharedCacheMode.NONE; }
    @Override public ValidationMode getValidationMode() { return ValidationMode.NONE; }
    @Override public Properties getProperties() { return properties; }
    @Override public String getPersistenceXMLSchemaVersion() { return "2.2"; }
    @Override public ClassLoader getClassLoader() { return PersistenceUnit.class.getClassLoader(); }
    @Override public void addTransformer(ClassTransformer transformer) { }
    @Override public ClassLoader getNewTempClassLoader() { return null; }
}
