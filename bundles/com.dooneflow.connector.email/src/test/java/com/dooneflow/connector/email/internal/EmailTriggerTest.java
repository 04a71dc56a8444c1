package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.testing.InMemoryConnectorSettings;

class EmailTriggerTest {

    private final InMemoryConnectorSettings settings = new InMemoryConnectorSettings();
    private final EmailTrigger trigger = new EmailTrigger(settings);

    private String inboxOf(String org) {
        return new InboxStore(settings).create(org, new HashMap<>(Map.of("emailAddress", "support@example.com",
                "host", "localhost", "port", 143, "security", "none", "username", "support", "password", "pw")))
                .id();
    }

    @Test
    void aWorkflowMayOnlyUseAnInboxOfItsOwnOrganization() {
        String own = inboxOf("org-a");
        String foreign = inboxOf("org-b");

        assertThat(trigger.validate("org-a", Map.of("inboxId", own))).isEmpty();
        assertThat(trigger.validate("org-a", Map.of("inboxId", foreign))).singleElement()
                .extracting(FieldError::field).isEqualTo("inboxId");
        assertThat(trigger.validate("org-a", Map.of("inboxId", "no-such-inbox"))).singleElement()
                .extracting(FieldError::message).asString().contains("is not an email inbox of this organization");
    }
}
