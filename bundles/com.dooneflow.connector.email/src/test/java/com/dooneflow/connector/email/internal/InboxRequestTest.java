package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;

class InboxRequestTest {

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> m = new HashMap<>(Map.of("emailAddress", "support@example.com", "host", "imap.example.com",
                "password", "pw"));
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    static ValidationException invalid(Map<String, Object> body) {
        try {
            InboxRequest.create(null, "o", body);
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("accepted " + body);
    }

    @Test
    void defaultsAreSslPort993TheAddressAsUsernameSixtySecondsAndActive() {
        Inbox inbox = InboxRequest.create(null, "o", body());

        assertThat(inbox.security()).isEqualTo(Inbox.Security.SSL);
        assertThat(inbox.port()).isEqualTo(993);
        assertThat(inbox.username()).isEqualTo("support@example.com");
        assertThat(inbox.pollIntervalSeconds()).isEqualTo(60);
        assertThat(inbox.active()).isTrue();
        assertThat(inbox.idle()).isTrue();
        assertThat(inbox.mode()).isEqualTo("poll");
        assertThat(InboxRequest.create(null, "o", body("security", "starttls")).port()).isEqualTo(143);
    }

    @Test
    void aPollIntervalUnderThirtySecondsIsRejectedWithAReason() {
        ValidationException e = invalid(body("pollIntervalSeconds", 29));

        assertThat(e.errors()).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("pollIntervalSeconds");
            assertThat(f.message()).contains("at least 30 seconds");
        });
        assertThat(InboxRequest.create(null, "o", body("pollIntervalSeconds", 30)).pollIntervalSeconds()).isEqualTo(30);
        assertThat(invalid(body("pollIntervalSeconds", "60")).errors()).extracting(FieldError::field)
                .containsExactly("pollIntervalSeconds");
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        Map<String, Object> body = body("emailAddress", "not an address", "host", "bad host!", "port", 70000,
                "security", "tls", "active", "yes", "idle", "on", "colour", "red", "lastError", "x", "mode", "idle");
        body.remove("password");

        assertThat(invalid(body).errors()).extracting(FieldError::field).containsExactlyInAnyOrder("emailAddress",
                "host", "port", "security", "active", "idle", "colour", "lastError", "mode", "password");
    }

    @Test
    void aPatchChangesOnlyWhatItNamesAndCountsConnectionChanges() {
        Inbox inbox = InboxRequest.create("id", "o", body());

        Inbox same = InboxRequest.patch(inbox, Map.of("port", 993));
        Inbox slower = InboxRequest.patch(inbox, Map.of("pollIntervalSeconds", 300));
        Inbox newPassword = InboxRequest.patch(inbox, Map.of("password", "new"));
        Inbox pollOnly = InboxRequest.patch(inbox, Map.of("idle", false));

        assertThat(same.configRevision()).isEqualTo(inbox.configRevision());
        assertThat(slower.configRevision()).isEqualTo(inbox.configRevision() + 1);
        assertThat(slower.host()).isEqualTo("imap.example.com");
        assertThat(newPassword.configRevision()).isEqualTo(inbox.configRevision() + 1);
        assertThat(pollOnly.idle()).isFalse();
        assertThat(pollOnly.configRevision()).isEqualTo(inbox.configRevision() + 1); // the route is replaced
        assertThatThrownBy(() -> InboxRequest.patch(inbox, Map.of("pollIntervalSeconds", 5)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at least 30 seconds");
    }
}
