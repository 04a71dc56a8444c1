package com.dooneflow.connector.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.SettingsDescriptor;
import com.dooneflow.api.spi.TypeFiles;

/** The settings page the console renders must write exactly the fields the resource accepts, within its limits. */
class EmailSettingsDescriptorTest {

    private final SettingsDescriptor page = TypeFiles.readSettings(EmailInboxResource.class, "email");

    @Test
    void inboxesWithTheWritableFieldsAndTheirLimits() {
        assertThat(page.entries()).isEqualTo(SettingsDescriptor.Entries.MANY);
        assertThat(page.resource()).isEqualTo("v1/organizations/{orgId}/email-inboxes");
        assertThat(page.fields()).extracting(ParameterDescriptor::name)
                .containsExactlyInAnyOrderElementsOf(InboxRequest.WRITABLE);
        assertThat(field("pollIntervalSeconds").min()).isEqualTo((long) InboxRequest.MIN_POLL_SECONDS);
        assertThat(field("pollIntervalSeconds").max()).isEqualTo((long) InboxRequest.MAX_POLL_SECONDS);
        assertThat(field("pollIntervalSeconds").defaultValue()).isEqualTo(InboxRequest.DEFAULT_POLL_SECONDS);
        assertThat(field("security").options()).containsExactly("ssl", "starttls", "none");
        assertThat(field("password").secret()).isTrue();
        assertThat(field("auth").options()).containsExactly("password", "oauth2");
        assertThat(field("oauthProvider").options()).containsExactlyElementsOf(OAuthApp.PROVIDERS);
        assertThat(page.actions()).extracting(SettingsDescriptor.Action::path).containsExactly("test", "connect");
    }

    @Test
    void oauthAppsWithTheWritableFields() {
        SettingsDescriptor apps = TypeFiles.readSettings(EmailOAuthAppResource.class, "email-oauth");
        assertThat(apps.resource()).isEqualTo("v1/organizations/{orgId}/email-oauth-apps");
        assertThat(apps.fields()).extracting(ParameterDescriptor::name)
                .containsExactlyInAnyOrderElementsOf(OAuthApps.WRITABLE);
        assertThat(apps.fields().stream().filter(f -> f.name().equals("clientSecret")).findFirst().orElseThrow()
                .secret()).isTrue();
    }

    private ParameterDescriptor field(String name) {
        return page.fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }
}
