package com.dooneflow.persistence.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import javax.persistence.PersistenceException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.IssuedToken;
import com.dooneflow.api.Role;
import com.dooneflow.api.ValidationException;

/**
 * On the first start of an empty installation, creates the first organization and its owner. The owner's
 * token is {@code DOONEFLOW_BOOTSTRAP_TOKEN} when set; otherwise a random one, printed once and written to
 * {@code data/initial-owner.txt} readable by the owner of the process only. {@code DOONEFLOW_BOOTSTRAP_PASSWORD},
 * when set, becomes the owner's console password (for scripted installs); otherwise the owner signs in once with
 * the token and the console asks for a password. There is no default password. The first-start hint says where
 * the token and the password came from.
 */
@Component(immediate = true, configurationPid = "com.dooneflow", configurationPolicy = ConfigurationPolicy.REQUIRE)
public class BootstrapOwner {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapOwner.class);
    static final String MARKER = "dooneflow.bootstrap";
    static final int MIN_TOKEN_LENGTH = 16;

    /** A bootstrap credential and where it came from (an environment variable, a key of the configuration). */
    record Given(String value, String origin) {
        static final Given NONE = new Given(null, null);

        static Given of(Settings settings, String key, String envName) {
            String value = settings.get(key, envName);
            return value == null ? NONE : new Given(value, settings.origin(key, envName));
        }
    }

    @Activate
    public BootstrapOwner(@Reference Database db, Map<String, Object> config) {
        Settings settings = Settings.of(config);
        Given token = Given.of(settings, "bootstrap.token", "DOONEFLOW_BOOTSTRAP_TOKEN");
        Given password = Given.of(settings, "bootstrap.password", "DOONEFLOW_BOOTSTRAP_PASSWORD");
        String email = settings.get("bootstrap.email", "DOONEFLOW_BOOTSTRAP_EMAIL");
        String org = settings.get("bootstrap.org", "DOONEFLOW_BOOTSTRAP_ORG");
        String baseUrl = publicUrl(settings);
        Path file = Path.of(System.getProperty("karaf.data", "data"), "initial-owner.txt");
        run(db, token, password, email == null ? "owner@localhost" : email, org == null ? "My organization" : org,
                baseUrl, file);
    }
    static String publicUrl(Settings settings) {
        String url = settings.get("publicUrl", "DOONEFLOW_PUBLIC_URL");
        if (url != null) {
            return url.replaceAll("/+$", "");
        }
        String port = System.getenv().getOrDefault("DOONEFLOW_HTTP_PORT",
                System.getProperty("org.osgi.service.http.port", "8181"));
        return "http://localhost:" + port;
    }

    /** {@link #run(Database, Given, Given, String, String, String, Path)} without a password. */
    static IssuedToken run(Database db, String token, String email, String orgName, String baseUrl, Path file) {
        return run(db, token == null ? Given.NONE : new Given(token, "DOONEFLOW_BOOTSTRAP_TOKEN"), Given.NONE, email,
                orgName, baseUrl, file);
    }

    /** Returns the created owner's token, or null when the installation was not empty. */
    static IssuedToken run(Database db, Given givenToken, Given givenPassword, String email, String orgName,
                           String baseUrl, Path file) {
        String token = givenToken.value();
        String password = givenPassword.value();
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            LOG.error("DOONEFLOW_BOOTSTRAP_TOKEN is shorter than {} characters; no owner was created. "
                    + "Set a longer token (e.g. `openssl rand -hex 32`) or unset it to have one generated.", MIN_TOKEN_LENGTH);
            return null;
        }
        String ownerEmail = Emails.normalize(email, "DOONEFLOW_BOOTSTRAP_EMAIL");
        String passwordHash = null;
        if (password != null) {
            try {
                PasswordPolicy.check(password, ownerEmail, "password");
            } catch (ValidationException e) {
                LOG.error("The bootstrap password from {} {}; no owner was created. Set a longer one or unset it to "
                        + "set a password at the first sign-in.", givenPassword.origin(), e.errors().get(0).message());
                return null;
            }
            passwordHash = PasswordHashes.hash(password);
        }
        String hash = passwordHash;
        IssuedToken issued;
        try {
            issued = db.tx(em -> {
                long users = em.createQuery("select count(u) from UserEntity u", Long.class).getSingleResult();
                if (users > 0) {
                    return null;
                }
                // Only one node may bootstrap: the marker's primary key lets exactly one insert win.
                em.createNativeQuery("insert into df_lease (name, holder, fencing_token, expires_at) values (?, ?, 1, ?)")
                        .setParameter(1, MARKER).setParameter(2, "bootstrap")
                        .setParameter(3, java.sql.Timestamp.valueOf("9999-12-31 00:00:00")).executeUpdate();
                OrganizationEntity org = new OrganizationEntity(Ids.uuid(), orgName, OrganizationServiceImpl.now());
                UserEntity user = new UserEntity(Ids.uuid(), ownerEmail, org.createdAt);
                user.installationAdmin = true; // the first owner runs the installation, too
                user.passwordHash = hash;
                em.persist(org);
                em.persist(user);
                em.persist(new MembershipEntity(org.id, user.id, Role.OWNER.name(), org.createdAt));
                return AccessServiceImpl.issue(em, user.id, null, "initial owner token", token);
            });
        } catch (PersistenceException e) {
            LOG.info("Another node is creating the first owner; skipping");
            return null;
        }
        if (issued == null) {
            return null;
        }
        String signIn = password != null
                ? "Sign in at " + baseUrl + "/ as " + ownerEmail + " with the password from " + givenPassword.origin()
                : "Sign in at " + baseUrl + "/ with the token (\"Use an API token instead\"); the console then asks "
                        + "you to set a password";
        if (token != null) {
            LOG.info("Created the first organization '{}' and its owner {} with the token from {}{}. {}, or send the "
                    + "token to {}/v1 as a Bearer token.", orgName, ownerEmail, givenToken.origin(),
                    password == null ? "" : " and the password from " + givenPassword.origin(), signIn, baseUrl);
            return issued;
        }
        String text = "DooneFlow - first owner\n"
                + "email: " + ownerEmail + "\n"
                + "organization: " + orgName + "\n"
                + "token: " + issued.secret() + "\n"
                + (password == null ? "password: not set yet\n" : "password: from " + givenPassword.origin() + "\n")
                + "\n" + signIn + ".\nUse the token with the API:\n"
                + "curl -H 'Authorization: Bearer " + issued.secret() + "' " + baseUrl + "/v1/me\n"
                + "This token is shown only here; create more with POST /v1/tokens and delete this file.\n";
        writeOwnerOnly(file, text);
        String banner = "\n==== DooneFlow: first owner " + ownerEmail + " created. API token (generated, shown once): "
                + issued.secret() + "\n==== Also written to " + file.toAbsolutePath() + " (owner-only).\n==== "
                + signIn + " (the API takes the token as 'Authorization: Bearer <token>').\n";
        System.out.println(banner);
        LOG.info("First owner {} created; its generated token is in {}{}", ownerEmail, file.toAbsolutePath(),
                password == null ? "" : "; its password is the one from " + givenPassword.origin());
        return issued;
    }

    private static void writeOwnerOnly(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            LOG.error("Cannot write {}: {}", file, e.getMessage());
        }
    }
}
