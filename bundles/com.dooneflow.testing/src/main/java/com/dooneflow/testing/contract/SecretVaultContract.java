package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.store.SecretVault;

/**
 * The contract of the core's {@link SecretVault}: a secret is kept by organization, owner record and field, and
 * comes back exactly as stored (any text, any length); storing again replaces it; an empty or null value removes
 * it; {@code deleteAll} removes one owner record's secrets and nothing else; a secret that was never stored is
 * empty and not set; new secrets are written under a named key.
 */
public abstract class SecretVaultContract {

    /** The vault under test. It may be shared by the tests: each works with owner records of its own. */
    protected abstract SecretVault vault();

    @Test
    public void aSecretComesBackAsStored() {
        SecretVault vault = vault();
        String org = newId();
        String owner = newId();
        String text = "pässwörd €—✓ " + "x".repeat(5000);

        vault.put(org, owner, "password", text);

        assertThat(vault.get(org, owner, "password")).contains(text);
        assertThat(vault.isSet(org, owner, "password")).isTrue();
    }

    @Test
    public void storingAgainReplacesTheSecret() {
        SecretVault vault = vault();
        String org = newId();
        String owner = newId();
        vault.put(org, owner, "token", "first");

        vault.put(org, owner, "token", "second");

        assertThat(vault.get(org, owner, "token")).contains("second");
    }

    @Test
    public void anEmptyOrNullValueRemovesTheSecret() {
        SecretVault vault = vault();
        String org = newId();
        String owner = newId();
        vault.put(org, owner, "a", "1");
        vault.put(org, owner, "b", "2");

        vault.put(org, owner, "a", "");
        vault.put(org, owner, "b", null);

        assertThat(vault.get(org, owner, "a")).isEmpty();
        assertThat(vault.isSet(org, owner, "a")).isFalse();
        assertThat(vault.get(org, owner, "b")).isEmpty();
        assertThat(vault.isSet(org, owner, "b")).isFalse();
        vault.put(org, owner, "c", "");
        assertThat(vault.isSet(org, owner, "c")).as("removing what was never there").isFalse();
    }

    @Test
    public void aSecretBelongsToOneOrganizationOwnerAndField() {
        SecretVault vault = vault();
        String org = newId();
        String owner = newId();
        vault.put(org, owner, "apiKey", "k");

        assertThat(vault.get(newId(), owner, "apiKey")).as("other organization").isEmpty();
        assertThat(vault.get(org, newId(), "apiKey")).as("other owner record").isEmpty();
        assertThat(vault.get(org, owner, "apikey")).as("other field (names are case-sensitive)").isEmpty();
        assertThat(vault.isSet(newId(), owner, "apiKey")).isFalse();
    }

    @Test
    public void deleteAllRemovesOneOwnersSecretsOnly() {
        SecretVault vault = vault();
        String org = newId();
        String owner = newId();
        String neighbour = newId();
        String otherOrg = newId();
        vault.put(org, owner, "password", "p");
        vault.put(org, owner, "apiKey", "k");
        vault.put(org, neighbour, "apiKey", "n");
        vault.put(otherOrg, owner, "apiKey", "o");

        vault.deleteAll(org, owner);

        assertThat(vault.isSet(org, owner, "password")).isFalse();
        assertThat(vault.isSet(org, owner, "apiKey")).isFalse();
        assertThat(vault.get(org, neighbour, "apiKey")).contains("n");
        assertThat(vault.get(otherOrg, owner, "apiKey")).as("the same owner id in another organization").contains("o");
        vault.deleteAll(org, newId());
    }

    @Test
    public void aSecretNeverStoredIsEmptyAndNotSet() {
        SecretVault vault = vault();

        assertThat(vault.get(newId(), newId(), "password")).isEmpty();
        assertThat(vault.isSet(newId(), newId(), "password")).isFalse();
    }

    @Test
    public void newSecretsAreWrittenUnderANamedKey() {
        assertThat(vault().activeKeyId()).isNotBlank();
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
