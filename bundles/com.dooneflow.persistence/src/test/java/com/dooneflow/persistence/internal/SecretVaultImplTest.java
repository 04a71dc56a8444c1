package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.SecretUnavailableException;
import com.dooneflow.api.store.KeyRotation.RotationResult;
import com.dooneflow.api.store.SecretVault;
import com.dooneflow.testing.contract.SecretVaultContract;

/** The {@link SecretVaultContract} on both databases, and how the vault encrypts, stores and rotates. */
class SecretVaultImplTest extends DatabaseTestBase {

    /** One master key for the contract suites' vaults (each test elsewhere here makes its own). */
    @TempDir
    Path contractKeys;

    @Nested
    class OnH2 extends SecretVaultContract {
        @Override
        protected SecretVault vault() {
            return SecretVaultImplTest.this.vault(DbKind.H2, contractKeys.resolve("h2.key"));
        }
    }

    @Nested
    class OnPostgres extends SecretVaultContract {
        @Override
        protected SecretVault vault() {
            return SecretVaultImplTest.this.vault(DbKind.POSTGRES, contractKeys.resolve("postgres.key"));
        }
    }

    private static final String PLAINTEXT = "s3cr3t-Pa55word-ä€";

    /** Each test brings its own master key, so each starts from an empty keyring. */
    @BeforeEach
    void emptyKeyring() {
        for (DbKind kind : DbKind.values()) {
            KeyringTest.emptyKeyring(on(kind));
        }
    }

    @OnBothDatabases
    void putThenGetReturnsThePlaintext(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();

        vault.put(org, owner, "password", PLAINTEXT);

        assertThat(vault.get(org, owner, "password")).contains(PLAINTEXT);
        assertThat(vault.isSet(org, owner, "password")).isTrue();
        assertThat(vault.get(org, owner, "apiKey")).isEmpty();
    }

    @OnBothDatabases
    void anEmptyValueRemovesTheSecretAndDeleteAllRemovesAnOwnersSecrets(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();
        String otherOwner = newId();
        vault.put(org, owner, "password", PLAINTEXT);
        vault.put(org, owner, "apiKey", PLAINTEXT);
        vault.put(org, otherOwner, "apiKey", PLAINTEXT);

        vault.put(org, owner, "password", "");
        assertThat(vault.isSet(org, owner, "password")).isFalse();
        assertThat(vault.isSet(org, owner, "apiKey")).isTrue();

        vault.deleteAll(org, owner);
        assertThat(vault.isSet(org, owner, "apiKey")).isFalse();
        assertThat(vault.get(org, otherOwner, "apiKey")).contains(PLAINTEXT);
    }

    @OnBothDatabases
    void theStoredColumnHoldsAnEnvelopeNamingTheKeyAndNeverThePlaintext(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();

        vault.put(org, owner, "password", PLAINTEXT);

        String stored = stored(kind, org, owner, "password");
        assertThat(stored).startsWith("df2:" + vault.activeKeyId() + ":").doesNotContain(PLAINTEXT)
                .doesNotContain(Base64.getEncoder().encodeToString(PLAINTEXT.getBytes()));
    }

    @OnBothDatabases
    void encryptingTheSameValueTwiceGivesDifferentCiphertexts(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();

        vault.put(org, owner, "password", PLAINTEXT);
        String first = stored(kind, org, owner, "password");
        vault.put(org, owner, "password", PLAINTEXT);
        String second = stored(kind, org, owner, "password");

        assertThat(second).isNotEqualTo(first);
        assertThat(vault.get(org, owner, "password")).contains(PLAINTEXT);
    }

    @OnBothDatabases
    void aTamperedCiphertextDoesNotDecrypt(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();
        vault.put(org, owner, "password", PLAINTEXT);
        String stored = stored(kind, org, owner, "password");
        int split = stored.lastIndexOf(':') + 1;
        byte[] blob = Base64.getDecoder().decode(stored.substring(split));
        blob[blob.length / 2] ^= 0x01;
        on(kind).update("update df_secret set ciphertext = ? where org_id = ? and owner_id = ? and field = ?",
                stored.substring(0, split) + Base64.getEncoder().encodeToString(blob), org, owner, "password");

        assertThatThrownBy(() -> vault.get(org, owner, "password"))
                .isInstanceOf(SecretUnavailableException.class).hasMessageNotContaining(PLAINTEXT);
    }

    @OnBothDatabases
    void aCiphertextCopiedToAnotherRecordDoesNotDecrypt(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();
        vault.put(org, owner, "password", PLAINTEXT);
        String stored = stored(kind, org, owner, "password");
        String otherOrg = newId();
        String otherOwner = newId();

        insertRaw(kind, org, otherOwner, "password", stored);
        insertRaw(kind, org, owner, "apiKey", stored);
        insertRaw(kind, otherOrg, owner, "password", stored);

        assertThatThrownBy(() -> vault.get(org, otherOwner, "password")).isInstanceOf(SecretUnavailableException.class);
        assertThatThrownBy(() -> vault.get(org, owner, "apiKey")).isInstanceOf(SecretUnavailableException.class);
        assertThatThrownBy(() -> vault.get(otherOrg, owner, "password")).isInstanceOf(SecretUnavailableException.class);
        assertThat(vault.get(org, owner, "password")).as("the original still reads").contains(PLAINTEXT);
    }

    @OnBothDatabases
    void rotatingTheDataKeyReencryptsEverySecretAndLeavesTheKeyFileAlone(DbKind kind, @TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("master.key");
        SecretVaultImpl vault = vault(kind, keyFile);
        String fileBefore = Files.readString(keyFile);
        String oldId = vault.activeKeyId();
        String org = newId();
        List<String> owners = List.of(newId(), newId(), newId());
        owners.forEach(owner -> vault.put(org, owner, "token", "value-of-" + owner));

        RotationResult result = vault.rotateDataKey();

        assertThat(result.reencrypted()).isEqualTo(3);
        assertThat(result.keyId()).startsWith("dk-").isNotEqualTo(oldId).isEqualTo(vault.activeKeyId());
        for (String owner : owners) {
            assertThat(stored(kind, org, owner, "token")).startsWith("df2:" + result.keyId() + ":");
            assertThat(vault.get(org, owner, "token")).contains("value-of-" + owner);
        }
        assertThat(Files.readString(keyFile)).as("a data key rotation changes no file").isEqualTo(fileBefore);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        SecretVaultImpl reloaded = vault(kind, keyFile);
        assertThat(reloaded.activeKeyId()).isEqualTo(result.keyId());
        owners.forEach(owner -> assertThat(reloaded.get(org, owner, "token")).contains("value-of-" + owner));
    }

    @OnBothDatabases
    void afterRotatingToAGivenMasterKeyThatKeyAloneReadsEverySecret(DbKind kind, @TempDir Path dir) {
        SecretVaultImpl vault = vault(kind, dir.resolve("master.key"));
        String org = newId();
        String owner = newId();
        vault.put(org, owner, "password", PLAINTEXT);
        String before = stored(kind, org, owner, "password");
        byte[] newKey = Ids.randomBytes(32);

        RotationResult result = vault.rotateMasterKey(newKey);

        assertThat(result.keyId()).isEqualTo(MasterKeys.idOf(newKey));
        assertThat(result.reencrypted()).as("data keys re-wrapped").isEqualTo(1);
        assertThat(stored(kind, org, owner, "password")).as("the secrets themselves are unchanged").isEqualTo(before);
        SecretVaultImpl onlyNewKey = new SecretVaultImpl(db(kind),
                MasterKeys.load(Base64.getEncoder().encodeToString(newKey), dir.resolve("no-such-dir/empty.key")));
        assertThat(onlyNewKey.get(org, owner, "password")).contains(PLAINTEXT);
        assertThat(onlyNewKey.keyringProblem()).isNull();
    }

    @OnBothDatabases
    void aConfiguredKeyIsTheActiveKey(DbKind kind, @TempDir Path dir) {
        byte[] key = Ids.randomBytes(32);
        String base64 = Base64.getEncoder().encodeToString(key);
        Path keyFile = dir.resolve("master.key");
        SecretVaultImpl vault = new SecretVaultImpl(db(kind), MasterKeys.load(base64, keyFile));
        String org = newId();
        String owner = newId();

        vault.put(org, owner, "password", PLAINTEXT);

        assertThat(on(kind).queryString("select master_key_id from df_data_key where id = ?", vault.activeKeyId()))
                .as("the configured key wraps the data key").isEqualTo(MasterKeys.idOf(key));
        assertThat(stored(kind, org, owner, "password")).startsWith("df2:" + vault.activeKeyId() + ":");
        assertThat(keyFile).as("no key is generated when one is configured").doesNotExist();
        SecretVaultImpl sameKeyElsewhere = new SecretVaultImpl(db(kind), MasterKeys.load(base64, dir.resolve("other.key")));
        assertThat(sameKeyElsewhere.get(org, owner, "password")).contains(PLAINTEXT);
    }

    @OnBothDatabases
    void aGeneratedKeyFileIsOwnerOnly(DbKind kind, @TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("etc/master.key");

        SecretVaultImpl vault = vault(kind, keyFile);

        assertThat(keyIdsIn(keyFile)).hasSize(1);
        assertThat(on(kind).queryString("select master_key_id from df_data_key where id = ?", vault.activeKeyId()))
                .isEqualTo(keyIdsIn(keyFile).get(0));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void aConfiguredKeyThatIsNot32BytesIsRejected(@TempDir Path dir) {
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        Path keyFile = dir.resolve("master.key");

        assertThatThrownBy(() -> MasterKeys.load(sixteenBytes, keyFile))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKeys.load("not base64 at all!", keyFile))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("invalid master key");
        assertThat(keyFile).doesNotExist();
    }

    private SecretVaultImpl vault(DbKind kind, Path keyFile) {
        return new SecretVaultImpl(db(kind), MasterKeys.load(null, keyFile));
    }

    private String stored(DbKind kind, String org, String owner, String field) {
        return on(kind).queryString("select ciphertext from df_secret where org_id = ? and owner_id = ? and field = ?",
                org, owner, field);
    }

    private void insertRaw(DbKind kind, String org, String owner, String field, String ciphertext) {
        on(kind).update("insert into df_secret (org_id, owner_id, field, ciphertext, updated_at) values (?, ?, ?, ?, ?)",
                org, owner, field, ciphertext, Timestamp.from(Instant.now()));
    }

    /** The key ids listed in a key file, oldest first. */
    static List<String> keyIdsIn(Path keyFile) throws Exception {
        return Files.readAllLines(keyFile).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('='))).toList();
    }
}
