package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.OptionSource.Option;
import com.dooneflow.api.spi.TypeFiles;
import com.dooneflow.testing.InMemoryConnectorSettings;

/** {@code email.inboxes}: what the console offers for the trigger's {@code inboxId}. */
class InboxOptionsTest {

    private final InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    private final InboxStore inboxes = new InboxStore(settings);
    private final InboxOptions options = new InboxOptions(settings);

    private Inbox inbox(String org, String address, boolean active) {
        return inboxes.create(org, new HashMap<>(Map.of("emailAddress", address, "host", "imap.example.com",
                "port", 993, "security", "ssl", "username", address, "password", "pw", "active", active)));
    }

    @Test
    void theOrganizationsInboxesByIdAndAddressAndNeverAnotherOrganizations() {
        Inbox support = inbox("org-a", "support@a.example", true);
        Inbox sales = inbox("org-a", "sales@a.example", false);
        Inbox theirs = inbox("org-b", "support@b.example", true);

        assertThat(options.options("org-a")).containsExactly(new Option(sales.id(), "sales@a.example (inactive)"),
                new Option(support.id(), "support@a.example"));
        assertThat(options.options("org-b")).containsExactly(new Option(theirs.id(), "support@b.example"));
        assertThat(options.options("org-c")).isEmpty();
    }

    @Test
    void theTriggersInboxIdTakesItsValuesFromThisSource() {
        assertThat(TypeFiles.read(EmailTrigger.class, EmailTrigger.TYPE).parameters().get(0)).satisfies(p -> {
            assertThat(p.name()).isEqualTo("inboxId");
            assertThat(p.optionSource()).isEqualTo(InboxOptions.ID).isEqualTo("email.inboxes");
        });
    }
}
