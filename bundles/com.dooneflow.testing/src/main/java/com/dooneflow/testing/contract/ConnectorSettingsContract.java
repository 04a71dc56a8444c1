package com.dooneflow.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConflictException;
import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.SettingsEntry;

/**
 * The contract of {@link ConnectorSettings}, the bundle-scoped settings a connector gets: entries are named uniquely
 * per organization and saved by name; secrets are kept apart from the data and never come back in clear from the
 * calls that read entries, only by {@link ConnectorSettings#secret}; an update keeps the secrets it does not name
 * (null keeps one, an empty string removes it); two connectors' namespaces are disjoint whatever ids, names or entry
 * records they pass; missing entries are empty, false or {@link NotFoundException}, never another's; a locked change
 * commits with the lock or not at all.
 */
public abstract class ConnectorSettingsContract {

    /**
     * The settings the connector of {@code namespace} (its bundle's symbolic name) gets. Every call of one test
     * instance goes to one shared store, as every bundle of a distribution shares the database.
     */
    protected abstract ConnectorSettings settingsOf(String namespace);

    /** An organization settings may be kept in (the real store wants it to exist). */
    protected String newOrganization() {
        return UUID.randomUUID().toString();
    }

    @Test
    public void saveCreatesAnEntryAndSavingTheSameNameUpdatesIt() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();

        SettingsEntry created = settings.save(org, "account", Map.of("region", "eu", "port", 993), Map.of());
        SettingsEntry updated = settings.save(org, "account", Map.of("region", "us"), Map.of());

        assertThat(created.version()).isEqualTo(1);
        assertThat(created.organizationId()).isEqualTo(org);
        assertThat(created.name()).isEqualTo("account");
        assertThat(created.createdAt()).isNotNull();
        assertThat(updated.id()).isEqualTo(created.id());
        assertThat(updated.version()).as("every write bumps the version").isGreaterThan(created.version());
        assertThat(updated.data()).as("data is replaced, not merged").isEqualTo(Map.of("region", "us"));
        assertThat(settings.list(org)).extracting(SettingsEntry::id).containsExactly(created.id());
    }

    @Test
    public void dataComesBackAsJsonValues() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        Map<String, Object> data = Map.of("text", "ä €", "number", 42, "flag", true,
                "list", List.of("a", "b"), "nested", Map.of("depth", 2));

        SettingsEntry saved = settings.save(org, "values", data, Map.of());

        assertThat(saved.data()).isEqualTo(data);
        assertThat(settings.get(org, saved.id())).get().extracting(SettingsEntry::data).isEqualTo(data);
    }

    @Test
    public void createRefusesATakenNameThatAnotherOrganizationMayUse() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        settings.create(org, "Production", Map.of(), Map.of());

        assertThatThrownBy(() -> settings.create(org, "Production", Map.of(), Map.of()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("Production");
        assertThat(settings.create(newOrganization(), "Production", Map.of(), Map.of()).name())
                .isEqualTo("Production");
    }

    @Test
    public void secretsNeverComeBackInClearFromTheCallsThatReadEntries() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        String apiKey = "sk-" + UUID.randomUUID();
        SettingsEntry saved = settings.save(org, "account", Map.of("user", "ann"), Map.of("apiKey", apiKey));

        assertThat(saved.secretsSet()).containsExactly("apiKey");
        assertThat(saved.data()).doesNotContainKey("apiKey");
        List<SettingsEntry> read = List.of(saved, settings.get(org, saved.id()).orElseThrow(),
                settings.findByName(org, "account").orElseThrow(), settings.list(org).get(0),
                settings.listAll().get(0));
        for (SettingsEntry entry : read) {
            assertThat(entry.toString()).as("an entry as read").doesNotContain(apiKey);
            assertThat(entry.secretsSet()).containsExactly("apiKey");
        }
        assertThat(settings.secret(saved, "apiKey")).contains(apiKey);
    }

    @Test
    public void anUpdateKeepsTheSecretsItDoesNotSetAndAnEmptyValueRemovesOne() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        SettingsEntry entry = settings.save(org, "account", Map.of(),
                Map.of("apiKey", "key-1", "password", "pw-1", "token", "tok-1"));

        Map<String, String> change = new HashMap<>();
        change.put("apiKey", null);
        change.put("password", "pw-2");
        SettingsEntry updated = settings.save(org, "account", Map.of("changed", true), change);

        assertThat(updated.secretsSet()).containsExactlyInAnyOrder("apiKey", "password", "token");
        assertThat(settings.secret(updated, "apiKey")).as("null keeps it").contains("key-1");
        assertThat(settings.secret(updated, "password")).as("a value replaces it").contains("pw-2");
        assertThat(settings.secret(updated, "token")).as("not named, kept").contains("tok-1");

        SettingsEntry removed = settings.save(org, "account", Map.of(), Map.of("token", ""));
        assertThat(removed.secretsSet()).containsExactlyInAnyOrder("apiKey", "password");
        assertThat(settings.secret(entry, "token")).isEmpty();
    }

    @Test
    public void twoConnectorsSeeOnlyTheirOwnEntriesAndSecrets() {
        String acmeName = uniqueNamespace();
        ConnectorSettings acme = settingsOf(acmeName);
        ConnectorSettings other = settingsOf(uniqueNamespace());
        String org = newOrganization();
        SettingsEntry mine = acme.save(org, "account", Map.of("region", "eu"), Map.of("apiKey", "acme-key"));
        SettingsEntry theirs = other.save(org, "account", Map.of("x", 1), Map.of());

        assertThat(mine.connector()).isEqualTo(acmeName);
        assertThat(theirs.id()).as("the same name in another namespace is another entry").isNotEqualTo(mine.id());
        assertThat(other.list(org)).extracting(SettingsEntry::id).containsExactly(theirs.id());
        assertThat(other.listAll()).extracting(SettingsEntry::id).containsExactly(theirs.id());
        assertThat(other.findByName(org, "account")).get().extracting(SettingsEntry::id).isEqualTo(theirs.id());
        assertThat(other.get(org, mine.id())).isEmpty();
        assertThat(other.secret(mine, "apiKey")).as("an entry record read elsewhere").isEmpty();
        SettingsEntry forged = new SettingsEntry(mine.id(), org, "anything", "account", Map.of(), null, 1, null, null);
        assertThat(other.secret(forged, "apiKey")).as("a forged entry record").isEmpty();
        assertThat(other.delete(org, mine.id())).isFalse();
        assertThatThrownBy(() -> other.withLock(org, mine.id(), locked -> locked.entry()))
                .isInstanceOf(NotFoundException.class);

        assertThat(acme.get(org, mine.id())).get().extracting(SettingsEntry::data).isEqualTo(Map.of("region", "eu"));
        assertThat(acme.secret(mine, "apiKey")).contains("acme-key");
    }

    @Test
    public void anEntryBelongsToItsOrganization() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        String stranger = newOrganization();
        SettingsEntry entry = settings.save(org, "account", Map.of(), Map.of("apiKey", "k"));

        assertThat(settings.get(stranger, entry.id())).isEmpty();
        assertThat(settings.list(stranger)).isEmpty();
        assertThat(settings.findByName(stranger, "account")).isEmpty();
        assertThat(settings.delete(stranger, entry.id())).isFalse();
        assertThatThrownBy(() -> settings.withLock(stranger, entry.id(), locked -> locked.entry()))
                .isInstanceOf(NotFoundException.class);
        assertThat(settings.get(org, entry.id())).isPresent();
    }

    @Test
    public void aMissingEntryIsEmptyFalseOrNotFound() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        String unknown = UUID.randomUUID().toString();
        SettingsEntry kept = settings.save(org, "kept", Map.of(), Map.of());

        assertThat(settings.get(org, unknown)).isEmpty();
        assertThat(settings.findByName(org, "nothing")).isEmpty();
        assertThat(settings.delete(org, unknown)).isFalse();
        assertThatThrownBy(() -> settings.withLock(org, unknown, locked -> locked.entry()))
                .isInstanceOf(NotFoundException.class);
        assertThat(settings.secret(kept, "neverSet")).isEmpty();
        assertThat(settings.secret(null, "apiKey")).isEmpty();
    }

    @Test
    public void deletingAnEntryTakesItsSecretsAlong() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        SettingsEntry entry = settings.save(org, "account", Map.of(), Map.of("apiKey", "old-key"));

        assertThat(settings.delete(org, entry.id())).isTrue();
        assertThat(settings.delete(org, entry.id())).as("gone already").isFalse();

        assertThat(settings.get(org, entry.id())).isEmpty();
        assertThat(settings.secret(entry, "apiKey")).isEmpty();
        SettingsEntry again = settings.save(org, "account", Map.of(), Map.of());
        assertThat(again.secretsSet()).as("a new entry of the same name starts without secrets").isEmpty();
    }

    @Test
    public void listIsOrderedByNameAndListAllOldestFirstAcrossOrganizations() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        String otherOrg = newOrganization();
        SettingsEntry b = settings.save(org, "b", Map.of(), Map.of());
        SettingsEntry a = settings.save(org, "a", Map.of(), Map.of());
        SettingsEntry c = settings.save(otherOrg, "c", Map.of(), Map.of());

        assertThat(settings.list(org)).extracting(SettingsEntry::name).containsExactly("a", "b");
        assertThat(settings.listAll()).extracting(SettingsEntry::id).containsExactly(b.id(), a.id(), c.id());
    }

    @Test
    public void aLockedChangeCommitsWithTheLock() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        SettingsEntry entry = settings.save(org, "account", Map.of("n", 1), Map.of("token", "t1"));

        String seen = settings.withLock(org, entry.id(), locked -> {
            String before = locked.secret("token").orElseThrow();
            locked.update(Map.of("n", 2), Map.of("token", "t2"));
            locked.rename("renamed");
            return before;
        });

        assertThat(seen).isEqualTo("t1");
        SettingsEntry after = settings.get(org, entry.id()).orElseThrow();
        assertThat(after.name()).isEqualTo("renamed");
        assertThat(after.data()).isEqualTo(Map.of("n", 2));
        assertThat(after.version()).isGreaterThan(entry.version());
        assertThat(settings.secret(after, "token")).contains("t2");
        assertThat(settings.findByName(org, "account")).isEmpty();
    }

    @Test
    public void aLockedChangeWhoseWorkFailsIsUndone() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        SettingsEntry entry = settings.save(org, "account", Map.of("n", 1), Map.of("token", "t1"));

        assertThatThrownBy(() -> settings.withLock(org, entry.id(), locked -> {
            locked.update(Map.of("n", 2), Map.of("token", "t2"));
            throw new IllegalStateException("the refresh failed");
        })).isInstanceOf(IllegalStateException.class);

        SettingsEntry after = settings.get(org, entry.id()).orElseThrow();
        assertThat(after.data()).isEqualTo(Map.of("n", 1));
        assertThat(after.version()).isEqualTo(entry.version());
        assertThat(settings.secret(after, "token")).contains("t1");
    }

    @Test
    public void renamingOntoATakenNameIsAConflict() {
        ConnectorSettings settings = newConnector();
        String org = newOrganization();
        settings.save(org, "taken", Map.of(), Map.of());
        SettingsEntry entry = settings.save(org, "mine", Map.of(), Map.of());

        assertThatThrownBy(() -> settings.withLock(org, entry.id(), locked -> {
            locked.rename("taken");
            return null;
        })).isInstanceOf(ConflictException.class);
        assertThat(settings.get(org, entry.id())).get().extracting(SettingsEntry::name).isEqualTo("mine");
    }

    /** A connector of its own, so that {@code listAll} sees only this test's entries. */
    private ConnectorSettings newConnector() {
        return settingsOf(uniqueNamespace());
    }

    private static String uniqueNamespace() {
        return "com.example.contract." + UUID.randomUUID().toString().replace("-", "");
    }
}
