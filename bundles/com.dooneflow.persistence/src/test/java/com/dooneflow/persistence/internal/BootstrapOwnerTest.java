package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Organization;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;

class BootstrapOwnerTest extends DatabaseTestBase {

    private static final String BASE_URL = "http://localhost:8181";

    @OnBothDatabases
    void onAnEmptyDatabaseItCreatesTheOwnerAndWritesTheTokenToAnOwnerOnlyFile(DbKind kind, @TempDir Path dir)
            throws Exception {
        Database db = emptyDatabase(kind);
        Path file = dir.resolve("data/initial-owner.txt");

        IssuedToken issued = BootstrapOwner.run(db, null, " Owner@Example.COM ", "First org", BASE_URL, file);

        assertThat(issued).isNotNull();
        assertThat(Files.readString(file)).contains("token: " + issued.secret()).contains("owner@example.com");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Principal owner = new AccessServiceImpl(db).authenticate(issued.secret()).orElseThrow();
        assertThat(owner.email()).isEqualTo("owner@example.com");
        assertThat(owner.scopeOrganizationId()).isNull();
        assertThat(new OrganizationServiceImpl(db).list(owner)).extracting(Organization::name, Organization::role)
                .containsExactly(tuple("First org", Role.OWNER));
    }

    @OnBothDatabases
    void aBootstrapPasswordBecomesTheOwnersPasswordAndTheFileSaysWhereItCameFrom(DbKind kind, @TempDir Path dir)
            throws Exception {
        Database db = emptyDatabase(kind);
        Path file = dir.resolve("initial-owner.txt");
        String password = "scripted install password";

        IssuedToken issued = BootstrapOwner.run(db, BootstrapOwner.Given.NONE,
                new BootstrapOwner.Given(password, "the environment variable DOONEFLOW_BOOTSTRAP_PASSWORD"),
                "owner@example.com", "First org", BASE_URL, file);

        assertThat(issued).isNotNull();
        assertThat(Files.readString(file)).doesNotContain(password)
                .contains("password: from the environment variable DOONEFLOW_BOOTSTRAP_PASSWORD")
                .contains("as owner@example.com with the password from");
        SessionServiceImpl sessions = new SessionServiceImpl(db, java.time.Clock.systemUTC(),
                java.time.Duration.ofHours(8), java.time.Duration.ofDays(7));
        assertThat(sessions.signIn("owner@example.com", password)).isPresent();
    }

    @OnBothDatabases
    void aBootstrapPasswordThatBreaksThePolicyCreatesNoOwner(DbKind kind, @TempDir Path dir) {
        Database db = emptyDatabase(kind);

        IssuedToken issued = BootstrapOwner.run(db, BootstrapOwner.Given.NONE,
                new BootstrapOwner.Given("short", "'bootstrap.password' in etc/com.dooneflow.cfg"),
                "owner@example.com", "First org", BASE_URL, dir.resolve("initial-owner.txt"));

        assertThat(issued).isNull();
        assertThat(Files.exists(dir.resolve("initial-owner.txt"))).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theOriginOfASettingIsTheVariableOrTheConfigurationKey() {
        Settings fromEnv = new Settings(java.util.Map.of("bootstrap.password", "x"),
                java.util.Map.of("DOONEFLOW_BOOTSTRAP_PASSWORD", "y"));
        Settings fromFile = new Settings(java.util.Map.of(".bootstrap.password", "x"), java.util.Map.of());

        assertThat(fromEnv.origin("bootstrap.password", "DOONEFLOW_BOOTSTRAP_PASSWORD"))
                .isEqualTo("the environment variable DOONEFLOW_BOOTSTRAP_PASSWORD");
        assertThat(fromFile.origin("bootstrap.password", "DOONEFLOW_BOOTSTRAP_PASSWORD"))
                .isEqualTo("'.bootstrap.password' in etc/com.dooneflow.cfg");
        assertThat(new Settings(java.util.Map.of(), java.util.Map.of()).origin("bootstrap.password",
                "DOONEFLOW_BOOTSTRAP_PASSWORD")).isNull();
    }

    @OnBothDatabases
    void aSecondRunReturnsNullAndCreatesNothing(DbKind kind, @TempDir Path dir) {
        Database db = emptyDatabase(kind);
        BootstrapOwner.run(db, null, "owner@example.com", "First org", BASE_URL, dir.resolve("first.txt"));

        IssuedToken again = BootstrapOwner.run(db, null, "other@example.com", "Second org", BASE_URL,
                dir.resolve("second.txt"));

        assertThat(again).isNull();
        assertThat(dir.resolve("second.txt")).doesNotExist();
        assertThat(on(kind).count("select count(*) from df_user")).isEqualTo(1);
        assertThat(on(kind).count("select count(*) from df_organization")).isEqualTo(1);
        assertThat(on(kind).count("select count(*) from df_api_token")).isEqualTo(1);
    }

    @OnBothDatabases
    void aProvidedTokenIsUsedAsIsAndNoFileIsWritten(DbKind kind, @TempDir Path dir) {
        Database db = emptyDatabase(kind);
        String token = "provided-bootstrap-token-0123456789";
        Path file = dir.resolve("initial-owner.txt");

        IssuedToken issued = BootstrapOwner.run(db, token, "owner@example.com", "First org", BASE_URL, file);

        assertThat(issued.secret()).isEqualTo(token);
        assertThat(new AccessServiceImpl(db).authenticate(token)).get()
                .extracting(Principal::email).isEqualTo("owner@example.com");
        assertThat(file).doesNotExist();
    }

    @OnBothDatabases
    void aTokenShorterThan16CharactersCreatesNothing(DbKind kind, @TempDir Path dir) {
        Database db = emptyDatabase(kind);
        Path file = dir.resolve("initial-owner.txt");

        IssuedToken issued = BootstrapOwner.run(db, "fifteen-chars!!", "owner@example.com", "First org", BASE_URL, file);

        assertThat(issued).isNull();
        assertThat(on(kind).count("select count(*) from df_user")).isZero();
        assertThat(on(kind).count("select count(*) from df_organization")).isZero();
        assertThat(file).doesNotExist();
        assertThat(BootstrapOwner.run(db, "sixteen-chars!!!", "owner@example.com", "First org", BASE_URL, file))
                .as("16 characters are enough").isNotNull();
    }

    @OnBothDatabases
    void whenAnotherNodeHoldsTheBootstrapMarkerNothingIsCreated(DbKind kind, @TempDir Path dir) {
        Database db = emptyDatabase(kind);
        on(kind).update("insert into df_lease (name, holder, fencing_token, expires_at) values (?, ?, 1, ?)",
                BootstrapOwner.MARKER, "bootstrap", Timestamp.from(Instant.parse("9999-01-01T00:00:00Z")));
        Path file = dir.resolve("initial-owner.txt");

        IssuedToken issued = BootstrapOwner.run(db, null, "owner@example.com", "First org", BASE_URL, file);

        assertThat(issued).isNull();
        assertThat(on(kind).count("select count(*) from df_user")).isZero();
        assertThat(on(kind).count("select count(*) from df_organization")).isZero();
        assertThat(file).doesNotExist();
    }

    /** Bootstrapping only happens on an empty installation, so each test starts from one. */
    private Database emptyDatabase(DbKind kind) {
        on(kind).wipe("df_api_token", "df_membership", "df_settings", "df_user", "df_organization", "df_lease");
        return db(kind);
    }
}
