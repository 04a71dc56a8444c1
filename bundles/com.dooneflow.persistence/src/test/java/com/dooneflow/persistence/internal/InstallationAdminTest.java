package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.User;

import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Installation administrators: the first owner is one, an upgraded installation makes its earliest user one, the
 * console grants and revokes (never the last one), and only unscoped tokens act as one.
 */
class InstallationAdminTest extends DatabaseTestBase {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private Database emptyDatabase(DbKind kind) {
        on(kind).wipe("df_api_token", "df_membership", "df_settings", "df_user", "df_organization", "df_lease");
        return db(kind);
    }

    @OnBothDatabases
    void theFirstOwnerIsAnInstallationAdministrator(DbKind kind, @TempDir Path dir) {
        Database db = emptyDatabase(kind);
        IssuedToken issued = BootstrapOwner.run(db, null, "owner@example.com", "First org", "http://localhost:8181",
                dir.resolve("owner.txt"));
        AccessServiceImpl access = new AccessServiceImpl(db);
        Principal owner = access.authenticate(issued.secret()).orElseThrow();

        assertThat(access.isInstallationAdmin(owner)).isTrue();
        assertThat(access.me(owner).installationAdmin()).isTrue();
        Principal other = user(kind, "other@example.com", T0);
        assertThat(access.isInstallationAdmin(other)).as("a later user is not").isFalse();
        assertThat(access.me(other).installationAdmin()).isFalse();
    }

    @OnBothDatabases
    void anUpgradedInstallationMakesItsEarliestUserAnInstallationAdministrator(DbKind kind) {
        emptyDatabase(kind);
        user(kind, "second@example.com", T0.plusSeconds(60));
        Principal earliest = user(kind, "earliest@example.com", T0);
        user(kind, "third@example.com", T0.plusSeconds(120));
        on(kind).update("update df_user set installation_admin = ?", false); // as before the column existed

        on(kind).update("delete from databasechangelog where id = '111-earliest-user-is-installation-admin'");
        Migrations.migrateIfChanged(db(kind).dataSource(), new ClassLoaderResourceAccessor(getClass().getClassLoader()));

        assertThat(new AccessServiceImpl(db(kind)).listUsers()).filteredOn(User::installationAdmin)
                .extracting(User::id).containsExactly(earliest.userId());
    }

    @OnBothDatabases
    void theConsoleGrantsAndRevokesButNeverTheLastOne(DbKind kind) {
        emptyDatabase(kind);
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        Principal ann = user(kind, "ann@example.com", T0);
        Principal bob = user(kind, "bob@example.com", T0.plusSeconds(1));

        assertThat(access.setInstallationAdmin(" Ann@Example.com ", true).installationAdmin()).isTrue();
        assertThatThrownBy(() -> access.setInstallationAdmin("ann@example.com", false))
                .isInstanceOf(ConflictException.class).hasMessageContaining("last installation administrator");
        assertThat(access.isInstallationAdmin(ann)).as("still one").isTrue();

        access.setInstallationAdmin("bob@example.com", true);
        assertThat(access.setInstallationAdmin("ann@example.com", false).installationAdmin()).isFalse();

        assertThat(access.isInstallationAdmin(ann)).isFalse();
        assertThat(access.isInstallationAdmin(bob)).isTrue();
        assertThat(access.setInstallationAdmin("ann@example.com", false).installationAdmin())
                .as("revoking from one who is none changes nothing").isFalse();
        assertThatThrownBy(() -> access.setInstallationAdmin("nobody@example.com", true))
                .isInstanceOf(NotFoundException.class);
    }

    @OnBothDatabases
    void anOrganizationScopedTokenNeverActsAsAnInstallationAdministrator(DbKind kind) {
        emptyDatabase(kind);
        AccessServiceImpl access = new AccessServiceImpl(db(kind));
        Principal admin = user(kind, "admin@example.com", T0);
        access.setInstallationAdmin("admin@example.com", true);

        Principal scoped = Principal.user(admin.userId(), admin.email(), "token-id", "some-org");

        assertThat(access.isInstallationAdmin(admin)).isTrue();
        assertThat(access.isInstallationAdmin(scoped)).isFalse();
        assertThat(access.isInstallationAdmin(Principal.SYSTEM)).as("the console").isTrue();
    }

    private Principal user(DbKind kind, String email, Instant createdAt) {
        String id = newId();
        db(kind).run(em -> em.persist(new UserEntity(id, email, createdAt)));
        return Principal.user(id, email, null, null);
    }
}
