package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.Role;

/** The organization, object and action of a change, read from the path template of the method that served it. */
class AuditSubjectTest {

    private static final Map<String, String> PARAMS = Map.of("orgId", "org-1", "id", "wf-1", "userId", "u-2");

    private static AuditSubject of(String method, String template) {
        return AuditSubject.of(method, template, PARAMS);
    }

    @Test
    void objectsUnderAnOrganization() {
        assertThat(of("POST", "v1/organizations/{orgId}/workflows/"))
                .isEqualTo(new AuditSubject("org-1", "workflow", null, "create"));
        assertThat(of("PATCH", "v1/organizations/{orgId}/workflows/{id}"))
                .isEqualTo(new AuditSubject("org-1", "workflow", "wf-1", "update"));
        assertThat(of("DELETE", "v1/organizations/{orgId}/members/{userId}"))
                .isEqualTo(new AuditSubject("org-1", "member", "u-2", "delete"));
        assertThat(of("POST", "v1/organizations/{orgId}/workflows/{id}/webhook-key"))
                .isEqualTo(new AuditSubject("org-1", "workflow", "wf-1", "webhook-key"));
        assertThat(of("PUT", "v1/organizations/{orgId}/integrations/twilio/"))
                .isEqualTo(new AuditSubject("org-1", "integration/twilio", null, "set"));
        assertThat(of("POST", "v1/organizations/{orgId}/integrations/twilio/test"))
                .isEqualTo(new AuditSubject("org-1", "integration/twilio", null, "test"));
        assertThat(of("POST", "v1/organizations/{orgId}/integrations/salesforce/{id}/connect"))
                .isEqualTo(new AuditSubject("org-1", "integration/salesforce", "wf-1", "connect"));
        assertThat(of("PATCH", "v1/organizations/{orgId}/email-inboxes/{id: [a-z0-9-]+}"))
                .isEqualTo(new AuditSubject("org-1", "email-inbox", "wf-1", "update"));
        assertThat(of("POST", "v1/organizations/{orgId}/team-members/"))
                .isEqualTo(new AuditSubject("org-1", "team-member", null, "create"));
        assertThat(of("PATCH", "v1/organizations/{orgId}/"))
                .isEqualTo(new AuditSubject("org-1", "organization", "org-1", "update"));
    }

    @Test
    void installationWideObjects() {
        assertThat(of("POST", "v1/tokens/")).isEqualTo(new AuditSubject(null, "token", null, "create"));
        assertThat(of("DELETE", "v1/tokens/{id}")).isEqualTo(new AuditSubject(null, "token", "wf-1", "delete"));
        assertThat(of("POST", "v1/connectors/install")).isEqualTo(new AuditSubject(null, "connector", null, "install"));
        assertThat(AuditSubject.of("DELETE", "v1/connectors/install/{feature}", Map.of("feature", "acme-connector")))
                .isEqualTo(new AuditSubject(null, "connector", "acme-connector", "uninstall"));
        assertThat(of("PUT", "v1/me/password")).isEqualTo(new AuditSubject(null, "me/password", null, "set"));
        assertThat(of("POST", "v1/organizations/")).isEqualTo(new AuditSubject(null, "organization", null, "create"));
    }

    @Test
    void theAnswerGivesTheNewObjectsIdAndItsOrganization() {
        AuditSubject created = AuditFilter.fromAnswer(of("POST", "v1/organizations"),
                AuditFilter.json(Map.of("id", "org-9", "name", "Acme")));
        assertThat(created).isEqualTo(new AuditSubject("org-9", "organization", "org-9", "create"));

        AuditSubject invited = AuditFilter.fromAnswer(of("POST", "v1/organizations/{orgId}/members"), AuditFilter.json(
                new Dto.NewInvitation(new Invitation("inv-1", "org-1", "Acme", "ann@example.com", Role.ADMIN,
                        InvitationStatus.PENDING, null, null, null), "dfi_secret", false)));
        assertThat(invited.objectId()).isEqualTo("inv-1");

        AuditSubject token = AuditFilter.fromAnswer(of("POST", "v1/tokens"),
                AuditFilter.json(Map.of("id", "t-1", "token", "dft_x")));
        assertThat(token).isEqualTo(new AuditSubject(null, "token", "t-1", "create"));

        AuditSubject installed = AuditFilter.fromAnswer(of("POST", "v1/connectors/install"),
                AuditFilter.json(Map.of("feature", "acme-connector", "generation", 3)));
        assertThat(installed).isEqualTo(new AuditSubject(null, "connector", "acme-connector", "install"));
    }

    @Test
    void aNewVersionIsNamedInTheSummary() {
        assertThat(AuditFilter.withVersion("fields actions", AuditFilter.json(Map.of("id", "wf-1", "version", 3))))
                .isEqualTo("fields actions; version 3");
        assertThat(AuditFilter.withVersion(null, AuditFilter.json(Map.of("version", 2)))).isEqualTo("version 2");
        assertThat(AuditFilter.withVersion("fields name", AuditFilter.json(Map.of("id", "x")))).isEqualTo("fields name");
        assertThat(AuditFilter.json("not json")).isNull();
    }

    @Test
    void singularOfCollectionNames() {
        assertThat(AuditSubject.singular("email-inboxes")).isEqualTo("email-inbox");
        assertThat(AuditSubject.singular("settings")).isEqualTo("setting");
        assertThat(AuditSubject.singular("twilio")).isEqualTo("twilio");
        assertThat(AuditSubject.singular("identities")).isEqualTo("identity");
    }
}
