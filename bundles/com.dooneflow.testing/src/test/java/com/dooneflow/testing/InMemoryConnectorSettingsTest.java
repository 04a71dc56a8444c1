package com.dooneflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.SettingsEntry;

/** The fake a connector's tests use sees one namespace, as the platform's bundle-scoped service does. */
class InMemoryConnectorSettingsTest {

    final InMemorySettingsStore shared = new InMemorySettingsStore();
    final InMemoryConnectorSettings twilio = InMemoryConnectorSettings.of(shared, "com.dooneflow.connector.twilio");
    final InMemoryConnectorSettings acme = InMemoryConnectorSettings.of(shared, "com.acme.connector");

    @Test
    void entriesAreStoredUnderTheConnectorsNamespace() {
        SettingsEntry account = twilio.save("org-1", "account", Map.of("accountSid", "AC1"), Map.of("authToken", "t"));

        assertThat(account.connector()).isEqualTo("com.dooneflow.connector.twilio");
        assertThat(twilio.findByName("org-1", "account")).get().extracting(SettingsEntry::id).isEqualTo(account.id());
        assertThat(twilio.secret(account, "authToken")).contains("t");
        assertThat(twilio.secret(account.id(), "authToken")).contains("t");
        assertThat(twilio.entries()).extracting(SettingsEntry::id).containsExactly(account.id());
    }

    @Test
    void twoConnectorsOverOneStoreSeeOnlyTheirOwnEntriesAndSecrets() {
        SettingsEntry account = twilio.save("org-1", "account", Map.of(), Map.of("authToken", "t"));
        SettingsEntry mine = acme.save("org-1", "account", Map.of(), Map.of());

        assertThat(mine.id()).isNotEqualTo(account.id());
        assertThat(acme.list("org-1")).extracting(SettingsEntry::id).containsExactly(mine.id());
        assertThat(acme.listAll()).extracting(SettingsEntry::id).containsExactly(mine.id());
        assertThat(acme.get("org-1", account.id())).isEmpty();
        assertThat(acme.secret(account, "authToken")).isEmpty();
        assertThat(acme.secret(account.id(), "authToken")).isEmpty();
        assertThat(acme.delete("org-1", account.id())).isFalse();
        assertThatThrownBy(() -> acme.withLock("org-1", account.id(), locked -> locked.secret("authToken")))
                .isInstanceOf(NotFoundException.class);
        assertThat(acme.entries()).extracting(SettingsEntry::id).containsExactly(mine.id());
        assertThat(shared.entries()).hasSize(2);
    }

    @Test
    void aLockedChangeThatFailsIsUndoneAsInTheStore() {
        InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
        SettingsEntry e = settings.save("org-1", "n", Map.of("a", 1), Map.of("token", "t1"));

        assertThatThrownBy(() -> settings.withLock("org-1", e.id(), locked -> {
            locked.update(Map.of("a", 2), Map.of("token", "t2"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(settings.get("org-1", e.id())).get().extracting(SettingsEntry::data).isEqualTo(Map.of("a", 1));
        assertThat(settings.secret(e.id(), "token")).contains("t1");
        assertThat(settings.entries()).singleElement().extracting(SettingsEntry::connector)
                .isEqualTo(InMemoryConnectorSettings.DEFAULT_NAMESPACE);
    }
}
