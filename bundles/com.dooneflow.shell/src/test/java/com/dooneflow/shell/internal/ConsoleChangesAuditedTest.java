package com.dooneflow.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.Execution;
import com.dooneflow.api.ExecutionService;
import com.dooneflow.api.ExecutionStatus;
import com.dooneflow.api.Invitation;
import com.dooneflow.api.InvitationService;
import com.dooneflow.api.InvitationStatus;
import com.dooneflow.api.IssuedInvitation;
import com.dooneflow.api.Organization;
import com.dooneflow.api.OrganizationService;
import com.dooneflow.api.Role;
import com.dooneflow.api.Workflow;
import com.dooneflow.api.WorkflowService;
import com.dooneflow.api.audit.AuditEntry;
import com.dooneflow.api.team.TeamMember;
import com.dooneflow.api.team.TeamService;
import com.dooneflow.testing.RecordingAuditLog;

/**
 * Every console command that changes something writes one audit entry: by {@code system}, from {@code console},
 * naming the organization, the object and the action as the REST API's entries do.
 */
class ConsoleChangesAuditedTest {

    private static final String ORG = "org-1";
    private static final Organization ORGANIZATION = new Organization(ORG, "Acme", Instant.EPOCH, Role.OWNER);

    private final RecordingAuditLog audit = new RecordingAuditLog();

    /** The one organization, for the commands that find an object's organization by its id. */
    private final OrganizationService organizations = stub(OrganizationService.class, Map.of(
            "list", a -> List.of(ORGANIZATION),
            "create", a -> new Organization("org-2", (String) a[1], Instant.EPOCH, Role.OWNER)));

    @Test
    void organizationCreated() {
        OrganizationCreateCommand command = new OrganizationCreateCommand();
        command.organizations = organizations;
        command.audit = audit;
        command.name = "Beta";

        command.execute();

        assertOneEntry("org-2", "organization", "org-2", "create", "fields name");
    }

    @Test
    void memberInvitedAndInvitationRevoked() {
        List<String> revoked = new ArrayList<>();
        InvitationService invitations = stub(InvitationService.class, Map.of(
                "invite", a -> new IssuedInvitation(new Invitation("inv-1", ORG, "Acme", (String) a[2], (Role) a[3],
                        InvitationStatus.PENDING, "console", Instant.EPOCH, Instant.EPOCH), "dfi_secret"),
                "revoke", a -> revoked.add((String) a[2])));
        MemberAddCommand add = new MemberAddCommand();
        add.invitations = invitations;
        add.audit = audit;
        add.orgId = ORG;
        add.email = "ana@example.com";
        add.role = "admin";
        InvitationRevokeCommand revoke = new InvitationRevokeCommand();
        revoke.invitations = invitations;
        revoke.audit = audit;
        revoke.orgId = ORG;
        revoke.invitationId = "inv-1";

        add.execute();
        revoke.execute();

        assertThat(revoked).containsExactly("inv-1");
        // the same objects and actions as POST .../members and DELETE .../invitations/{id}
        assertEntries(tuple(ORG, "member", "inv-1", "create", "fields email, role=admin"),
                tuple(ORG, "invitation", "inv-1", "delete", null));
        assertThat(audit.recorded()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("dfi_secret"));
    }

    @Test
    void teamMemberAddedDeactivatedAndActivated() {
        TeamService team = stub(TeamService.class, Map.of(
                "create", a -> member("tm-1", true),
                "get", a -> member("tm-1", true),
                "update", a -> member("tm-1", ((com.dooneflow.api.team.TeamMemberInput) a[3]).active())));
        TeamAddCommand add = new TeamAddCommand();
        add.team = team;
        add.audit = audit;
        add.orgId = ORG;
        add.name = "Ann Lee";
        add.phone = "+16502530000";
        TeamDeactivateCommand deactivate = new TeamDeactivateCommand();
        TeamActivateCommand activate = new TeamActivateCommand();
        for (TeamSwitchCommand command : List.of(deactivate, activate)) {
            command.organizations = organizations;
            command.team = team;
            command.audit = audit;
            command.memberId = "tm-1";
        }

        add.execute();
        deactivate.execute();
        activate.execute();

        assertEntries(tuple(ORG, "team-member", "tm-1", "create", "fields name, phone, active=true"),
                tuple(ORG, "team-member", "tm-1", "update", "fields active=false"),
                tuple(ORG, "team-member", "tm-1", "update", "fields active=true"));
    }

    @Test
    void workflowDisabledAndEnabled() {
        Workflow workflow = new Workflow("wf-1", ORG, "Leads", true, 1, null, List.of(), false, Instant.EPOCH,
                Instant.EPOCH);
        WorkflowService workflows = stub(WorkflowService.class, Map.of("get", a -> workflow, "update", a -> workflow));
        WorkflowDisableCommand disable = new WorkflowDisableCommand();
        WorkflowEnableCommand enable = new WorkflowEnableCommand();
        for (WorkflowSwitchCommand command : List.of(disable, enable)) {
            command.organizations = organizations;
            command.workflows = workflows;
            command.audit = audit;
            command.workflowId = "wf-1";
        }

        disable.execute();
        enable.execute();

        assertEntries(tuple(ORG, "workflow", "wf-1", "update", "fields enabled=false"),
                tuple(ORG, "workflow", "wf-1", "update", "fields enabled=true"));
    }

    @Test
    void executionRetriedAndCancelled() {
        Execution failed = new Execution("ex-1", ORG, "wf-1", "Leads", 1, ExecutionStatus.FAILED, "webhook", Map.of(),
                Map.of(), 0, null, "boom", null, Instant.EPOCH, null, null, false, List.of());
        ExecutionService executions = stub(ExecutionService.class, Map.of(
                "get", a -> failed, "retry", a -> failed, "cancel", a -> failed));
        ExecutionRetryCommand retry = new ExecutionRetryCommand();
        retry.organizations = organizations;
        retry.executions = executions;
        retry.audit = audit;
        retry.executionId = "ex-1";
        ExecutionCancelCommand cancel = new ExecutionCancelCommand();
        cancel.organizations = organizations;
        cancel.executions = executions;
        cancel.audit = audit;
        cancel.executionId = "ex-1";

        retry.execute();
        cancel.execute();

        assertEntries(tuple(ORG, "execution", "ex-1", "retry", null), tuple(ORG, "execution", "ex-1", "cancel", null));
    }

    private void assertOneEntry(String orgId, String type, String id, String action, String summary) {
        assertEntries(tuple(orgId, type, id, action, summary));
    }

    private void assertEntries(org.assertj.core.groups.Tuple... expected) {
        assertThat(audit.recorded()).extracting(AuditEntry::organizationId, AuditEntry::objectType, AuditEntry::objectId,
                AuditEntry::action, AuditEntry::summary).containsExactly(expected);
        assertThat(audit.recorded()).allSatisfy(e -> {
            assertThat(e.actorEmail()).isEqualTo("system");
            assertThat(e.actorUserId()).isNull();
            assertThat(e.clientAddress()).isEqualTo("console");
        });
    }

    private static TeamMember member(String id, Boolean active) {
        return new TeamMember(id, "Ann Lee", "+16502530000", null, active, Instant.EPOCH, Instant.EPOCH);
    }

    /** A service that answers the methods named in {@code answers}, and fails on any other. */
    static <T> T stub(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer == null) {
                throw new UnsupportedOperationException(method.getName());
            }
            return answer.apply(args);
        }));
    }
}
