package com.dooneflow.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import com.dooneflow.api.SecretUnavailableException;
import com.dooneflow.api.store.KeyRotation.RotationResult;
import com.dooneflow.persistence.internal.TestDatabases.TestDatabase;

/**
 * The keyring across nodes: several vaults on one database stand for the nodes of a cluster, each with its own master
 * key configuration and its own memory of data keys, as separate processes would have.
 */
class KeyringTest extends DatabaseTestBase {

    private static final String TOKEN = "tw-auth-token-0123456789abcdef";

    /** A keyring with no data key, as a database that never ran a node of this version. */
    static void emptyKeyring(TestDatabase db) {
        db.update("update df_keyring set active_key_id = null");
        db.wipe("df_secret", "df_data_key");
    }

    @BeforeEach
    void empty() {
        for (DbKind kind : DbKind.values()) {
            emptyKeyring(on(kind));
        }
    }

    @OnBothDatabases
    void aDataKeyRotatedOnOneNodeIsReadAtOnceByTheOthers(DbKind kind, @TempDir Path dir) {
        String master = base64(Ids.randomBytes(32));
        SecretVaultImpl a = node(kind, master, dir.resolve("a.key"));
        SecretVaultImpl b = node(kind, master, dir.resolve("b.key"));
        String org = newId();
        String first = newId();
        a.put(org, first, "authToken", TOKEN);
        assertThat(b.get(org, first, "authToken")).contains(TOKEN);

        RotationResult rotated = a.rotateDataKey();

        assertThat(stored(kind, org, first, "authToken")).startsWith("df2:" + rotated.keyId() + ":");
        assertThat(b.get(org, first, "authToken")).as("B loads the new data key from the database").contains(TOKEN);
        assertThat(b.activeKeyId()).isEqualTo(rotated.keyId());
        String second = newId();
        b.put(org, second, "authToken", "written on B");
        assertThat(stored(kind, org, second, "authToken")).startsWith("df2:" + rotated.keyId() + ":");
        assertThat(a.get(org, second, "authToken")).contains("written on B");
        assertThat(dir.resolve("a.key")).as("no key file is written when the key is configured").doesNotExist();
        assertThat(on(kind).count("select count(*) from df_data_key")).as("the old data key stays, wrapped").isEqualTo(2);
    }

    @OnBothDatabases
    void twoNodesStartingTogetherOnAnEmptyKeyringCreateOneDataKey(DbKind kind, @TempDir Path dir) throws Exception {
        String master = base64(Ids.randomBytes(32));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<String> start = () -> node(kind, master, dir.resolve("none.key")).activeKeyId();
            List<Future<String>> started = pool.invokeAll(List.of(start, start));
            assertThat(started.get(0).get()).isEqualTo(started.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(on(kind).count("select count(*) from df_data_key")).isEqualTo(1);
    }

    @OnBothDatabases
    void aNodeWithAnotherMasterKeySaysSoOncePerKeyAndNeverLogsKeyMaterial(DbKind kind, @TempDir Path dir)
            throws Exception {
        byte[] clusterKey = Ids.randomBytes(32);
        SecretVaultImpl a = node(kind, base64(clusterKey), dir.resolve("a.key"));
        String org = newId();
        String owner = newId();
        a.put(org, owner, "authToken", TOKEN);
        String dataKeyId = a.activeKeyId();
        Path bKeyFile = dir.resolve("b.key");

        String log = capturingLog(() -> {
            SecretVaultImpl b = node(kind, null, bKeyFile);
            assertThat(b.keyringProblem()).contains("cannot unwrap the active data key " + dataKeyId);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> b.get(org, owner, "authToken"))
                        .isInstanceOf(SecretUnavailableException.class)
                        .hasMessageContaining("'authToken'")
                        .hasMessageContaining("wrapped by master key " + MasterKeys.idOf(clusterKey))
                        .hasMessageContaining("does not hold")
                        .hasMessageNotContaining(TOKEN);
            }
            assertThatThrownBy(() -> b.put(org, newId(), "authToken", "x")).isInstanceOf(SecretUnavailableException.class);

            // The operator appends the cluster's key to the node's key file: it reads again, without a restart.
            Files.writeString(bKeyFile, base64(clusterKey) + "\n", StandardOpenOption.APPEND);
            Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> b.get(org, owner, "authToken").orElseThrow().equals(TOKEN));
            assertThat(b.keyringProblem()).isNull();
            return null;
        });

        assertThat(log).contains("This node cannot read the stored secrets");
        assertThat(occurrences(log, "Secrets cannot be read on this node: data key " + dataKeyId))
                .as("logged once for the key, not once per attempt:\n" + log).isEqualTo(1);
        assertThat(log).contains("Data key " + dataKeyId + " is readable on this node again");
        assertThat(log).as("no stack traces").doesNotContain("\tat ");
        byte[] dataKey = SecretCipher.open(clusterKey, SecretCipher.dataKeyAad(dataKeyId),
                on(kind).queryString("select wrapped_key from df_data_key where id = ?", dataKeyId));
        String bKey = Files.readAllLines(bKeyFile).stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        for (byte[] key : List.of(clusterKey, dataKey, MasterKeys.decode(bKey.substring(bKey.indexOf('=') + 1)))) {
            assertThat(log).doesNotContain(base64(key)).doesNotContain(base64(key).substring(0, 12))
                    .doesNotContain(HexFormat.of().formatHex(key).substring(0, 16));
        }
        assertThat(log).doesNotContain(TOKEN);
    }

    @OnBothDatabases
    void aMasterKeyRotationKeepsEveryNodeThatHoldsTheNewKeyReading(DbKind kind, @TempDir Path dir) throws Exception {
        byte[] oldKey = Ids.randomBytes(32);
        byte[] newKey = Ids.randomBytes(32);
        Path aKeyFile = dir.resolve("a.key");
        SecretVaultImpl a = node(kind, base64(oldKey), aKeyFile);
        // Step 1 of the procedure: every node is given the new key beside the old one.
        SecretVaultImpl b = node(kind, base64(oldKey) + "," + base64(newKey), dir.resolve("b.key"));
        String org = newId();
        String owner = newId();
        a.put(org, owner, "authToken", TOKEN);
        String before = stored(kind, org, owner, "authToken");

        RotationResult rotated = a.rotateMasterKey(newKey);

        assertThat(rotated.keyId()).isEqualTo(MasterKeys.idOf(newKey));
        assertThat(on(kind).queryString("select distinct master_key_id from df_data_key")).isEqualTo(rotated.keyId());
        assertThat(stored(kind, org, owner, "authToken")).isEqualTo(before);
        assertThat(Files.readString(aKeyFile)).as("the rotating node keeps the new key")
                .contains(rotated.keyId() + "=" + base64(newKey));
        assertThat(b.get(org, owner, "authToken")).contains(TOKEN);
        RotationResult dataRotation = b.rotateDataKey();
        assertThat(on(kind).queryString("select master_key_id from df_data_key where id = ?", dataRotation.keyId()))
                .as("a new data key is wrapped by the cluster's current master key, whichever node rotates")
                .isEqualTo(rotated.keyId());

        SecretVaultImpl onlyNew = node(kind, base64(newKey), dir.resolve("c.key"));
        assertThat(onlyNew.get(org, owner, "authToken")).contains(TOKEN);
        SecretVaultImpl onlyOld = node(kind, base64(oldKey), dir.resolve("d.key"));
        assertThat(onlyOld.keyringProblem()).isNotNull();
        assertThatThrownBy(() -> onlyOld.get(org, owner, "authToken")).isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("master key " + rotated.keyId());
    }

    @OnBothDatabases
    void valuesWrittenBeforeTheKeyringAreAdoptedAtTheFirstStartOrReadAsTheyAre(DbKind kind, @TempDir Path dir) {
        byte[] master = Ids.randomBytes(32);
        byte[] lostKey = Ids.randomBytes(32);
        String org = newId();
        String owner = newId();
        String orphan = newId();
        insertRaw(kind, org, owner, "password", legacy(master, org, owner, "password", TOKEN));
        insertRaw(kind, org, orphan, "password", legacy(lostKey, org, orphan, "password", "lost"));

        SecretVaultImpl vault = node(kind, base64(master), dir.resolve("none.key"));

        assertThat(stored(kind, org, owner, "password")).startsWith("df2:" + vault.activeKeyId() + ":");
        assertThat(vault.get(org, owner, "password")).contains(TOKEN);
        assertThat(stored(kind, org, orphan, "password")).as("unreadable here: left as it was").startsWith("df1:");
        assertThatThrownBy(() -> vault.get(org, orphan, "password")).isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("before the keyring");

        // A value in the old format written afterwards (a node of the previous version) still reads, and the next
        // rotation moves it to the active data key.
        String late = newId();
        insertRaw(kind, org, late, "password", legacy(master, org, late, "password", "late"));
        assertThat(vault.get(org, late, "password")).contains("late");
        RotationResult rotated = vault.rotateDataKey();
        assertThat(rotated.reencrypted()).isEqualTo(2);
        assertThat(stored(kind, org, late, "password")).startsWith("df2:" + rotated.keyId() + ":");
        assertThat(vault.get(org, late, "password")).contains("late");
    }

    @OnBothDatabases
    void aWrappedDataKeyCopiedToAnotherIdDoesNotUnwrap(DbKind kind, @TempDir Path dir) {
        String master = base64(Ids.randomBytes(32));
        SecretVaultImpl a = node(kind, master, dir.resolve("a.key"));
        String org = newId();
        String owner = newId();
        a.put(org, owner, "authToken", TOKEN);
        String first = a.activeKeyId();
        a.rotateDataKey();
        String second = a.activeKeyId();
        on(kind).update("update df_data_key set wrapped_key = (select wrapped_key from df_data_key where id = ?) "
                + "where id = ?", first, second);

        SecretVaultImpl b = node(kind, master, dir.resolve("b.key"));

        assertThat(b.keyringProblem()).isNotNull();
        assertThatThrownBy(() -> b.get(org, owner, "authToken")).isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("altered");
    }

    // ---- helpers ----

    private SecretVaultImpl node(DbKind kind, String masterKeys, Path keyFile) {
        return new SecretVaultImpl(db(kind), MasterKeys.load(masterKeys, keyFile));
    }

    private static String legacy(byte[] master, String org, String owner, String field, String plaintext) {
        return "df1:" + MasterKeys.idOf(master) + ":" + SecretCipher.seal(master, SecretCipher.aad(org, owner, field),
                plaintext.getBytes(StandardCharsets.UTF_8));
    }

    private String stored(DbKind kind, String org, String owner, String field) {
        return on(kind).queryString("select ciphertext from df_secret where org_id = ? and owner_id = ? and field = ?",
                org, owner, field);
    }

    private void insertRaw(DbKind kind, String org, String owner, String field, String ciphertext) {
        on(kind).update("insert into df_secret (org_id, owner_id, field, ciphertext, updated_at) values (?, ?, ?, ?, ?)",
                org, owner, field, ciphertext, Timestamp.from(Instant.now()));
    }

    private static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Runs {@code work} and returns what was logged meanwhile (the test logger writes to standard error). */
    private static String capturingLog(Callable<Void> work) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            work.call();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
